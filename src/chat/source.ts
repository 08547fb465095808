/**
 * Where the bytes of an export come from: a Buffer already in memory, or a file read block by block
 * on demand, so a 200 MB export is never held in memory at once. Readers see both the same way:
 * through `forEachBlock` (text: blocks that end at a line break) or `read(start, end)`.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Bytes of an export, read by position. */
export interface ByteSource {
  readonly size: number;
  /** The whole input when it is in memory (then `read` returns views of it), else null. */
  readonly whole: Buffer | null;
  /** Bytes [start, end) (clamped to the size): a view of `whole`, or fresh bytes read from the file. */
  read(start: number, end: number): Buffer;
  /** How many bytes a block read by `forEachBlock` holds at first. */
  readonly blockBytes: number;
  /**
   * Bytes [start, end) (clamped to the size) read into `target` (at least `end - start` long): a view
   * of its filled part. Optional: `forEachBlock` reads a source without it with `read`.
   */
  readInto?(target: Buffer, start: number, end: number): Buffer;
}

/** A source over a Buffer in memory. */
export function bufferSource(buf: Buffer): ByteSource {
  return { size: buf.length, whole: buf, blockBytes: buf.length, read: (start, end) => buf.subarray(start, end) };
}

/** Blocks of 1 MB: big enough that per-block work vanishes, small enough to keep memory flat. */
export const FILE_BLOCK_BYTES = 1024 * 1024;

/** A file opened for reading by position; `close` it when done. */
export class FileSource implements ByteSource {
  readonly size: number;
  readonly whole = null;
  private fd: number;

  constructor(
    readonly path: string,
    readonly blockBytes = FILE_BLOCK_BYTES,
  ) {
    this.fd = openSync(path, 'r');
    try {
      const stat = fstatSync(this.fd);
      if (!stat.isFile()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR', syscall: 'read', path });
      this.size = stat.size;
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  read(start: number, end: number): Buffer {
    end = Math.min(end, this.size);
    if (end <= start) return Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(end - start);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.fd, buf, got, buf.length - got, start + got);
      if (n === 0) break; // the file shrank while being read
      got += n;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  }

  readInto(target: Buffer, start: number, end: number): Buffer {
    end = Math.min(end, this.size);
    const n = end - start;
    let got = 0;
    while (got < n) {
      const r = readSync(this.fd, target, got, n - got, start + got);
      if (r === 0) break; // the file shrank while being read
      got += r;
    }
    return target.subarray(0, got);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * A Buffer read as if it were a file, in blocks of `blockBytes` (copies, like a file read): lets
 * tests run the block-by-block paths on any input.
 */
export function chunkedSource(buf: Buffer, blockBytes: number): ByteSource {
  return {
    size: buf.length,
    whole: null,
    blockBytes,
    read: (start, end) => Buffer.from(buf.subarray(start, end)),
    readInto: (target, start, end) => target.subarray(0, buf.copy(target, 0, start, Math.min(end, buf.length))),
  };
}

/** The whole input as one Buffer (read from the file when it is not in memory). */
export function readAll(src: ByteSource): Buffer {
  return src.whole ?? src.read(0, src.size);
}

/**
 * Calls `onBlock(block, first, last)` for consecutive blocks covering the input from `start`, each
 * ending just after a line feed (or at the end of the input), so no line and no UTF-8 character is
 * split between blocks. An in-memory input is one block. When a block holds no line feed it is read
 * again twice as large; past `maxBlock` bytes without one, `tooLong()` is thrown.
 * Return false from `onBlock` to stop.
 *
 * A block read from a file is only valid until the callback for the block after it returns: blocks
 * of the usual size are read into two buffers in turn (fresh memory for every block cost page faults
 * and the kernel zeroing the pages, as much again as the read itself), so a callback may keep a view
 * of its block for the next call, no longer.
 */
export function forEachBlock(
  src: ByteSource,
  start: number,
  maxBlock: number,
  tooLong: () => Error,
  onBlock: (block: Buffer, first: boolean, last: boolean) => boolean | void,
): void {
  if (src.whole) {
    onBlock(src.whole.subarray(start), true, true);
    return;
  }
  let pos = start;
  let want = src.blockBytes;
  let first = true;
  const buffers: Buffer[] = [];
  let turn = 0;
  while (pos < src.size) {
    let block: Buffer;
    if (src.readInto && want === src.blockBytes) {
      const target = (buffers[turn] ??= Buffer.allocUnsafeSlow(src.blockBytes));
      turn ^= 1;
      block = src.readInto(target, pos, pos + want);
    } else block = src.read(pos, pos + want);
    if (block.length === 0) return;
    const last = pos + block.length >= src.size;
    if (!last) {
      const nl = block.lastIndexOf(10);
      if (nl === -1) {
        if (block.length > maxBlock) throw tooLong();
        want *= 2;
        continue;
      }
      block = block.subarray(0, nl + 1);
    }
    pos += block.length;
    want = src.blockBytes;
    if (onBlock(block, first, last) === false) return;
    first = false;
  }
}
