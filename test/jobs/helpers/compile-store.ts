import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const storeSources = path.join(repoRoot, 'src/jobs/store');

/**
 * Transpiles src/jobs/store to plain ESM in a temporary directory, for child processes that run
 * the store without a TypeScript loader or a full `npm run build`. Packages resolve through a
 * `node_modules` link to the repository's. Returns the index module URL and a cleanup.
 */
export function compileStoreForChildProcesses(): { moduleUrl: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamsync-store-'));
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  // The store's files and the one module of the app's it imports, at the same relative places.
  const sources = [
    ...fs.readdirSync(storeSources).filter(name => name.endsWith('.ts')).map(name => path.join('src/jobs/store', name)),
    'src/models/sqlite-write-turn.ts',
  ];
  for (const relative of sources) {
    const source = fs.readFileSync(path.join(repoRoot, relative), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: path.basename(relative),
    });
    const target = path.join(dir, relative.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  const out = path.join(dir, 'src/jobs/store');
  return {
    moduleUrl: pathToFileURL(path.join(out, 'index.js')).href,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
