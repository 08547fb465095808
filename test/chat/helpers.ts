import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'chat');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** A zip built in memory from entries (name -> content). */
export function zipOf(entries: Record<string, Buffer | string>, compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { compress });
  }
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** A zip of a fixture folder, entry names relative to it (optionally under `prefix`). */
export function zipFixtureDir(dir: string, prefix = ''): Promise<Buffer> {
  const root = join(FIXTURES, dir);
  const entries: Record<string, Buffer> = {};
  const walk = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else entries[prefix + relative(root, full).split('\\').join('/')] = readFileSync(full);
    }
  };
  walk(root);
  return zipOf(entries);
}
