import { describe, expect, test } from '@jest/globals';
import { parseChat } from '../../src/chat/index.js';
import { fixture } from './helpers.js';

describe('plain transcripts', () => {
  test('timed lines with continuations', async () => {
    const c = await parseChat(fixture('transcript.txt'), { timeZone: 'Europe/Lisbon' });
    expect(c.format).toBe('transcript');
    expect(c.messages.map((m) => [m.id, m.sentAt, m.author.name, m.text])).toEqual([
      ['L1', '2026-03-14T09:15:00.000Z', 'Ana', "Let's start"],
      ['L2', '2026-03-14T09:16:00.000Z', 'Ben', 'Agenda item one\ncontinues here'],
      ['L4', '2026-03-14T09:20:30.000Z', 'Ana', 'Done'],
    ]);
  });

  test('untimed "Name: text" lines all get startAt', async () => {
    const c = await parseChat(fixture('transcript-plain.txt'), { startAt: '2026-03-14T15:00:00Z' });
    expect(c.messages.map((m) => [m.sentAt, m.author.name, m.text])).toEqual([
      ['2026-03-14T15:00:00.000Z', 'Ana', 'Hello there'],
      ['2026-03-14T15:00:00.000Z', 'Ben', 'Hi Ana\n  indented continuation'],
      ['2026-03-14T15:00:00.000Z', 'Ana', 'Bye'],
    ]);
  });

  test('clock-only stamps take the date of startAt in the time zone', async () => {
    const c = await parseChat(Buffer.from('[09:15] Ana: hi\n[09:16] Ben: yo\n'), { format: 'transcript', startAt: '2026-03-14T00:00:00Z', timeZone: 'Europe/Berlin' });
    expect(c.messages.map((m) => m.sentAt)).toEqual(['2026-03-14T08:15:00.000Z', '2026-03-14T08:16:00.000Z']);
  });
});

describe('WebVTT', () => {
  test('Teams: <v> voices, guid/n-part cue ids merged per utterance, entities, CRLF', async () => {
    const c = await parseChat(fixture('teams.vtt'), { startAt: '2026-03-14T09:00:00Z' });
    expect(c.format).toBe('webvtt');
    expect(c.messages).toEqual([
      { id: '1c4f0ae7-2b5d-4b57-9c34-1f0a9d2f6b21/12', sentAt: '2026-03-14T09:00:01.000Z', author: { id: 'Ana Silva', name: 'Ana Silva' }, text: "Good morning everyone, let's begin.", threadId: null, attachments: [], system: false },
      { id: '1c4f0ae7-2b5d-4b57-9c34-1f0a9d2f6b21/13', sentAt: '2026-03-14T09:01:02.250Z', author: { id: 'Ben Okafor', name: 'Ben Okafor' }, text: 'Thanks & hello.', threadId: null, attachments: [], system: false },
    ]);
  });

  test('Zoom: "Name: " prefixes, NOTE blocks skipped, hour offsets, unknown speakers', async () => {
    const c = await parseChat(fixture('zoom.vtt'), { startAt: '2026-03-14T09:00:00Z' });
    expect(c.messages.map((m) => [m.id, m.sentAt, m.author.name, m.text])).toEqual([
      ['1', '2026-03-14T09:00:01.000Z', 'Ana', 'Can you hear me?'],
      ['2', '2026-03-14T09:00:03.500Z', 'Ben', 'Yes'],
      ['3', '2026-03-14T10:00:00.000Z', 'Unknown speaker', 'no speaker here'],
    ]);
  });
});
