/** `teamsync parse` run through the CLI's `main`, with stdout and stderr captured. */
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { join } from 'node:path';
import { main } from '../../src/cli/index.js';
import { FIXTURES } from './helpers.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'teamsync', 'parse', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('teamsync parse', () => {
  test('prints NDJSON with snake_case fields and a summary on stderr', async () => {
    const r = await run([join(FIXTURES, 'whatsapp-german.txt'), '--tz', 'Europe/Berlin']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
      { id: 'L1', sent_at: '2026-03-14T08:15:00.000Z', author_id: 'Anna', author_name: 'Anna', text: 'Hallo zusammen', thread_id: null, attachments: [], system: false },
      { id: 'L2', sent_at: '2026-03-14T08:16:00.000Z', author_id: 'Jonas', author_name: 'Jonas', text: 'Moin', thread_id: null, attachments: [], system: false },
    ]);
    // (the first import of the CLI's modules may print a Node warning to stderr before the summary)
    expect(r.stderr.split('\n')).toContain('whatsapp: 2 messages, 2 participants, 2026-03-14T08:15:00.000Z .. 2026-03-14T08:16:00.000Z');
  });

  test('--format overrides detection', async () => {
    const r = await run([join(FIXTURES, 'transcript.txt'), '--format', 'transcript']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  test('exit code 2 and the reason for a file that is no chat export', async () => {
    const r = await run([join(FIXTURES, 'slack-api-error.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^teamsync: .*slack-api-error\.json: this Slack API response is an error \(not_in_channel\), not messages\n$/);
  });

  test('exit code 2 for a missing file', async () => {
    const r = await run([join(FIXTURES, 'nope.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*nope\.txt: ENOENT/);
  });

  test('exit code 2 for a folder', async () => {
    const r = await run([join(FIXTURES, 'slack-export')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*slack-export: EISDIR/);
  });
});
