/**
 * Zip archives read with yauzl, from memory or from a file by position: entry names are only ever
 * compared as strings, never used as paths, and nothing is written to disk. Entry count, total inflated size and
 * compression ratio are checked from the central directory before anything is inflated, and the
 * inflated byte count is checked again while reading (declared sizes can lie).
 */
import { Readable } from 'node:stream';
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
  let zip: yauzl.ZipFile;
  try {
    zip = await fromSource(Buffer.isBuffer(input) ? { size, whole: input, blockBytes: size, read: (a, b) => input.subarray(a, b) } : input);
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
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(damaged(err.message, format));
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          inflatedTotal += chunk.length;
          if (size > entry.uncompressedSize || inflatedTotal > limits.zipUncompressedBytes) {
            stream.destroy();
            reject(new ChatParseError('too-large', 'a zip entry inflates past its declared size or the total limit', format));
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
