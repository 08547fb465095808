/**
 * Zip archives read entirely in memory with yauzl: entry names are only ever compared as strings,
 * never used as paths, and nothing is written to disk. Entry count, total inflated size and
 * compression ratio are checked from the central directory before anything is inflated, and the
 * inflated byte count is checked again while reading (declared sizes can lie).
 */
import yauzl from 'yauzl';
import { ChatParseError } from '../errors.js';
import type { ChatLimits } from '../limits.js';
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

function fromBuffer(buf: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

export async function openZip(buf: Buffer, limits: ChatLimits, format: ChatFormat | null): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await fromBuffer(buf);
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
  if (declaredTotal > RATIO_FLOOR_BYTES && declaredTotal / Math.max(1, buf.length) > limits.zipRatio) {
    zip.close();
    throw new ChatParseError('too-large', `the zip inflates ${Math.round(declaredTotal / buf.length)} times its size, over the limit of ${limits.zipRatio} (zip bomb?)`, format);
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
