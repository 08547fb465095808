/**
 * What processing a file writes, on SQLite and PostgreSQL: progress only for long files, one set
 * of results when the same file is processed twice at once, people's ticks kept on a re-run; and
 * on PostgreSQL, a worker that wakes others for new jobs without broadcasting each job's lifecycle,
 * and a database reached over its Unix socket.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { testConfig } from '../../config/index.js';
import { openServices } from '../../src/boot.js';
import { createJobSystem } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logger.js';
import { createUser } from '../../src/services/auth.js';
import { createFileExtractor } from '../../src/services/extraction.js';
import { PROGRESS_MIN_MESSAGES, processUploadedFile } from '../../src/services/process-file.js';
import { ingestUpload, type FileProcessingQueue } from '../../src/services/uploads.js';
import { createTestDatabase, DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { waitFor } from './helpers/wait.js';
import { storedResults, whatsAppChat } from './pipeline-support.js';

/** Stores uploads without queueing anything: these tests run the processing themselves. */
const noQueue: FileProcessingQueue = { enqueueFileProcessing: async () => 'not-queued' };

describe.each(DATABASE_KINDS)('processing a file on %s', (kind) => {
  let services: TestServices;
  let userId: string;

  beforeAll(async () => {
    services = await openTestServices(kind);
    userId = (await createUser(services, { username: 'pia', email: 'pia@example.com', password: 'correct horse battery' })).id;
  });
  afterAll(async () => {
    await services?.dispose();
  });

  const store = async (tag: string, messages: number) =>
    (await ingestUpload(services, noQueue, { userId, fileName: `${tag}.txt`, content: whatsAppChat(tag, messages) })).file.id;

  it('records progress for a long file only', async () => {
    const small = await store('small', 20);
    const smallSteps: number[] = [];
    await processUploadedFile(services, small, { extractor: createFileExtractor(services), onProgress: (p) => void smallSteps.push(p) });
    expect(smallSteps).toEqual([]);
    expect(await services.models.UploadedFile.findByPk(small)).toMatchObject({ status: 'done', progress: 100, message_count: 20 });

    const long = await store('long', PROGRESS_MIN_MESSAGES);
    const longSteps: Array<{ step: number; stored: number | null }> = [];
    await processUploadedFile(services, long, {
      extractor: createFileExtractor(services),
      onProgress: async (step) => {
        longSteps.push({ step, stored: (await services.models.UploadedFile.findByPk(long))!.progress });
      },
    });
    // Each step is on the file before the job hears of it.
    expect(longSteps).toEqual([
      { step: 20, stored: 20 },
      { step: 70, stored: 70 },
      { step: 100, stored: 100 },
    ]);
  });

  it('ends with one set of results when the same file is processed twice at once', async () => {
    const fileId = await store('twice', 40);
    const extractor = createFileExtractor(services);
    const outcomes = await Promise.allSettled([
      processUploadedFile(services, fileId, { extractor }),
      processUploadedFile(services, fileId, { extractor }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    const results = await storedResults(services, fileId);
    expect(results).toMatchObject({ status: 'done', messages: 40, oneSet: true });
    expect(results.todos).toBeGreaterThan(0);
  });

  it('replaces the results on a re-run and keeps the todos people ticked off', async () => {
    const fileId = await store('rerun', 12);
    const extractor = createFileExtractor(services);
    const first = await processUploadedFile(services, fileId, { extractor });
    const ticked = first.todos[0]!;
    await services.models.TodoItem.update({ status: 'done' }, { where: { id: ticked.id } });

    const second = await processUploadedFile(services, fileId, { extractor });
    const results = await storedResults(services, fileId);
    expect(results).toMatchObject({ status: 'done', messages: 12, oneSet: true, todos: first.todos.length });
    const again = second.todos.find((t) => t.text === ticked.text)!;
    expect(again.id).not.toBe(ticked.id);
    expect((await services.models.TodoItem.findByPk(again.id))!.status).toBe('done');
    expect(await services.models.TodoItem.count({ where: { file_id: fileId, status: 'done' } })).toBe(1);
  });

  it('fails for good when the file was deleted before its results were stored', async () => {
    const fileId = await store('deleted', 8);
    let deleted = false;
    const extractor = createFileExtractor(services);
    const removing = {
      ...extractor,
      async extract(...args: Parameters<typeof extractor.extract>) {
        const out = await extractor.extract(...args);
        await services.models.UploadedFile.destroy({ where: { id: fileId } });
        deleted = true;
        return out;
      },
    };
    await expect(processUploadedFile(services, fileId, { extractor: removing })).rejects.toMatchObject({ name: 'PermanentFileError' });
    expect(deleted).toBe(true);
    expect(await services.models.StoredMessage.count({ where: { file_id: fileId } })).toBe(0);
  });
});

describe('a worker on PostgreSQL', () => {
  it('wakes other processes for a new job but does not broadcast the job lifecycle', async () => {
    const db = await createTestDatabase('postgres');
    const services = await openServices(testConfig({ DATABASE_URL: db.url }), { logger: createLogger('silent') });
    const listener = new pg.Client({ connectionString: db.url });
    const heard: Array<{ channel: string; payload: string | undefined }> = [];
    const worker = await createJobSystem(services, { worker: true, processEvery: 60_000 });
    try {
      await listener.connect();
      listener.on('notification', (n) => heard.push({ channel: n.channel, payload: n.payload }));
      await listener.query('LISTEN "agenda_jobs"');
      await listener.query('LISTEN "agenda_jobs:state"');
      await worker.start();
      const user = await createUser(services, { username: 'wes', email: 'wes@example.com', password: 'correct horse battery' });
      const { file } = await ingestUpload(services, worker.queue, { userId: user.id, fileName: 'chat.txt', content: whatsAppChat('lifecycle', 10) });
      await waitFor(async () => (await services.models.UploadedFile.findByPk(file.id))?.status === 'done', 10_000, 'the file to be done');
      // Notifications are delivered in commit order: one sent after the job's last save arrives after its own.
      await listener.query(`NOTIFY "agenda_jobs", 'end-of-test'`);
      await waitFor(() => heard.some((h) => h.payload === 'end-of-test'), 5000, 'the closing notification');

      expect(heard.filter((h) => h.channel === 'agenda_jobs' && h.payload !== 'end-of-test').length).toBeGreaterThanOrEqual(1);
      expect(heard.filter((h) => h.channel === 'agenda_jobs:state')).toEqual([]);
    } finally {
      await worker.stop(1000);
      await listener.end().catch(() => undefined);
      await services.close();
      await db.dispose();
    }
  });

  const socketDir = '/var/run/postgresql';
  const socketTest = existsSync(`${socketDir}/.s.PGSQL.5432`) ? it : it.skip;
  socketTest('keeps its jobs in the app database reached over the Unix socket', async () => {
    const db = await createTestDatabase('postgres');
    const name = new URL(db.url).pathname.slice(1);
    const services = await openServices(testConfig({ DATABASE_URL: `postgres://postgres@localhost/${name}?host=${encodeURIComponent(socketDir)}` }), {
      logger: createLogger('silent'),
    });
    const worker = await createJobSystem(services, { worker: true, processEvery: 60_000 });
    try {
      await worker.start();
      const user = await createUser(services, { username: 'sol', email: 'sol@example.com', password: 'correct horse battery' });
      const { file } = await ingestUpload(services, worker.queue, { userId: user.id, fileName: 'chat.txt', content: whatsAppChat('socket', 10) });
      await waitFor(async () => (await services.models.UploadedFile.findByPk(file.id))?.status === 'done', 10_000, 'the file to be done');
      expect(await storedResults(services, file.id)).toMatchObject({ oneSet: true, messages: 10 });
    } finally {
      await worker.stop(1000);
      await services.close();
      await db.dispose();
    }
  });
});
