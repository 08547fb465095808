/** `teamsync extract`: a WhatsApp export in, todos and events with their evidence out as JSON. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerExtract } from '../../src/cli/extract.js';

const dir = mkdtempSync(join(tmpdir(), 'teamsync-extract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('teamsync').exitOverride();
  registerExtract(program);
  let out = '';
  let err = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'teamsync', 'extract', ...args]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = 0;
  return { out, err, code };
}

describe('teamsync extract', () => {
  const file = join(dir, 'family.txt');
  writeFileSync(
    file,
    [
      '13/03/2026, 18:02 - Carmen Ruiz: Abuela lands tomorrow at 11:40 at T4!!',
      '13/03/2026, 18:10 - Carmen Ruiz: Lucía, can you buy flowers for her room tomorrow?',
      '13/03/2026, 18:12 - Lucía Ruiz: sure',
    ].join('\n'),
  );

  it('prints every todo and event with snake_case fields and the source message', async () => {
    const { out, code } = await run([file, '--tz', 'Europe/Madrid']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { todos: Array<Record<string, unknown>>; events: Array<Record<string, unknown>> };
    expect(json.todos).toEqual([
      {
        text: 'Buy flowers for her room',
        assignee: 'Lucía Ruiz',
        priority: 'MEDIUM',
        due_at: '2026-03-14T16:00:00.000Z',
        source: expect.objectContaining({ author: 'Carmen Ruiz', sent_at: '2026-03-13T17:10:00.000Z', excerpt: 'Lucía, can you buy flowers for her room tomorrow?' }),
      },
    ]);
    expect(json.events).toEqual([
      expect.objectContaining({ title: 'Abuela lands', starts_at: '2026-03-14T10:40:00.000Z', ends_at: null, all_day: false }),
    ]);
  });

  it('exits 2 for an unknown extractor or time zone', async () => {
    expect((await run([file, '--extractor', 'magic'])).code).toBe(2);
    const badZone = await run([file, '--tz', 'Mars/Olympus']);
    expect(badZone.code).toBe(2);
    expect(badZone.err).toMatch(/time zone/);
  });
});
