/**
 * Zip archives read with yauzl, from memory or from a file by position: entry names are only ever
 * compared as strings, never used as paths, and nothing is written to disk. Entry count, total inflated size and
 * compression ratio are checked from the central directory before anything is inflated, and the
 * inflated byte count is checked again while reading (declared sizes can lie).
 *
 * A deflated entry is inflated in one synchronous call on its raw bytes, which may not produce more
 * than the entry's declared size (nor than what is left of the total limit). A stream inflated on the
 * thread pool in 16 KB steps cost a callback per step, and the reader waited for it whenever the
 * machine was busy: measured, the same work took a third longer and varied twice as much.
 */
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { ChatParseError } from '../errors.js';
import type { ChatLimits } from '../limits.js';
import type { ByteSource } from '../source.js';
import type { ChatFormat } from '../types.js';

/** Entries smaller than this are not held to the compression ratio (tiny files compress oddly). */
const RATIO_FLOOR_BYTES = 64 * 1024;

export interface ZipArchive {
  /** Names of the file entries (directories left out), in central-directory order. */
  readonly names: string[];
  /** Inflates one entry into memory. */
  read(name: string): Promise<Buffer>;
  close(): void;
}

export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && (buf[2] === 3 || buf[2] === 5) && (buf[3] === 4 || buf[3] === 6);
}

function damaged(detail: string, format: ChatFormat | null): ChatParseError {
  return new ChatParseError('malformed', `the zip file is damaged or truncated (${detail})`, format);
}

/** Inflation output grows in steps of at most this many bytes (the declared size is not trusted with an allocation). */
const MAX_INFLATE_STEP = 1024 * 1024;

/**
 * Inflates the raw deflate data of `entry`, producing at most `allowed` bytes (a `too-large` error
 * past that); output that is not exactly the declared size means a damaged zip.
 */
export function inflateEntry(raw: Buffer, entry: { uncompressedSize: number }, allowed: number, format: ChatFormat | null): Buffer {
  let out: Buffer;
  try {
    out = inflateRawSync(raw, {
      maxOutputLength: Math.max(1, allowed),
      chunkSize: Math.max(64, Math.min(entry.uncompressedSize + 1, MAX_INFLATE_STEP)),
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw inflatesTooMuch(format);
    throw damaged((err as Error).message, format);
  }
  if (out.length > allowed) throw inflatesTooMuch(format);
  if (out.length !== entry.uncompressedSize) throw damaged(`an entry inflates to ${out.length} bytes, not the ${entry.uncompressedSize} it declares`, format);
  return out;
}

function inflatesTooMuch(format: ChatFormat | null): ChatParseError {
  return new ChatParseError('too-large', 'a zip entry inflates past its declared size or the total limit', format);
}

/** Reads of a file (or any source not in memory) for yauzl: only the ranges it asks for. */
class SourceReader extends yauzl.RandomAccessReader {
  constructor(private readonly src: ByteSource) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const src = this.src;
    const step = Math.max(64 * 1024, Math.min(src.blockBytes, 1024 * 1024));
    let pos = start;
    return new Readable({
      read() {
        if (pos >= end) {
          this.push(null);
          return;
        }
        const next = Math.min(end, pos + step);
        const chunk = src.read(pos, next);
        pos = next;
        this.push(chunk.length ? chunk : null);
      },
    });
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    try {
      const chunk = this.src.read(position, position + length);
      if (chunk.length < length) throw new Error('unexpected end of file');
      chunk.copy(buffer, offset);
    } catch (err) {
      setImmediate(callback, err as Error);
      return;
    }
    setImmediate(callback, null);
  }
}

function fromSource(src: ByteSource): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, validateEntrySizes: true, autoClose: false };
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip: yauzl.ZipFile): void => (err ? reject(err) : resolve(zip));
    if (src.whole) yauzl.fromBuffer(src.whole, options, done);
    else yauzl.fromRandomAccessReader(new SourceReader(src), src.size, options, done);
  });
}

/** Opens a zip held in memory or read from a file by position (only the entries read are inflated). */
export async function openZip(input: Buffer | ByteSource, limits: ChatLimits, format: ChatFormat | null): Promise<ZipArchive> {
  const size = Buffer.isBuffer(input) ? input.length : input.size;
  const src: ByteSource = Buffer.isBuffer(input) ? { size, whole: input, blockBytes: size, read: (a, b) => input.subarray(a, b) } : input;
  let zip: yauzl.ZipFile;
  try {
    zip = await fromSource(src);
  } catch (err) {
    throw damaged((err as Error).message, format);
  }
  if (zip.entryCount > limits.zipEntries) {
    zip.close();
    throw new ChatParseError('too-large', `the zip lists ${zip.entryCount} entries; the limit is ${limits.zipEntries}`, format);
  }
  const entries = new Map<string, yauzl.Entry>();
  let declaredTotal = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) {
          declaredTotal += entry.uncompressedSize;
          const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
          if (declaredTotal > limits.zipUncompressedBytes) {
            reject(new ChatParseError('too-large', `the zip inflates to more than the limit of ${limits.zipUncompressedBytes} bytes`, format));
            return;
          }
          if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.zipRatio) {
            reject(new ChatParseError('too-large', `a zip entry is compressed ${Math.round(ratio)}:1, over the limit of ${limits.zipRatio}:1 (zip bomb?)`, format));
            return;
          }
          entries.set(entry.fileName, entry);
        }
        zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    if (err instanceof ChatParseError) throw err;
    throw damaged((err as Error).message, format);
  }
  if (declaredTotal > RATIO_FLOOR_BYTES && declaredTotal / Math.max(1, size) > limits.zipRatio) {
    zip.close();
    throw new ChatParseError('too-large', `the zip inflates ${Math.round(declaredTotal / size)} times its size, over the limit of ${limits.zipRatio} (zip bomb?)`, format);
  }
  let inflatedTotal = 0;
  const read = (name: string): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const entry = entries.get(name);
      if (!entry) return reject(damaged(`no entry named ${name}`, format));
      if (entry.compressionMethod === 8 && !entry.isEncrypted()) {
        zip.readLocalFileHeader(entry, { minimal: true }, (err, header) => {
          if (err) return reject(damaged(err.message, format));
          try {
            const raw = src.read(header.fileDataStart, header.fileDataStart + entry.compressedSize);
            if (raw.length !== entry.compressedSize) throw damaged('unexpected end of file', format);
            const out = inflateEntry(raw, entry, Math.min(entry.uncompressedSize, limits.zipUncompressedBytes - inflatedTotal), format);
            inflatedTotal += out.length;
            resolve(out);
          } catch (e) {
            reject(e instanceof ChatParseError ? e : damaged((e as Error).message, format));
          }
        });
        return;
      }
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(damaged(err.message, format));
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          inflatedTotal += chunk.length;
          if (size > entry.uncompressedSize || inflatedTotal > limits.zipUncompressedBytes) {
            stream.destroy();
            reject(inflatesTooMuch(format));
            return;
          }
          chunks.push(chunk);
        });
        stream.on('error', (e: Error) => reject(damaged(e.message, format)));
        stream.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
      });
    });
  return { names: [...entries.keys()], read, close: () => zip.close() };
}
