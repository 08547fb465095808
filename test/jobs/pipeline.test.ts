/**
 * The upload pipeline end to end on real stores: HTTP upload -> job -> processing -> results,
 * retries with backoff, permanent failures, time limits, notifications to the origin, answers in
 * the background, the scheduled cleanup, the job views and graceful shutdown. The app's own
 * database holds the jobs (the embedded default) on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApi } from '../../src/api/app.js';
import { extractHeuristic } from '../../src/extract/index.js';
import { createJobSystem, type JobSystem } from '../../src/jobs/index.js';
import { CLEANUP_OLD_FILES } from '../../src/jobs/names.js';
import type { FileExtractor } from '../../src/services/extraction.js';
import { PermanentFileError, type FileSummary, type ThreadNotifier } from '../../src/services/process-file.js';
import { ingestUpload, type UploadOrigin } from '../../src/services/uploads.js';
import { DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { serve, type TestServer } from '../support/http.js';
import { sleep, waitFor } from './helpers/wait.js';
import { account, adminAccount, storedResults, upload, whatsAppChat } from './pipeline-support.js';

/**
 * The heuristic extractor, told what to do by a word in the chat: FLAKY fails twice, then works;
 * BROKEN always fails; UNREADABLE fails permanently; STUCK never returns and ignores its signal;
 * SLOW takes 1.5 s.
 */
function scriptedExtractor(): FileExtractor & { calls: Map<string, number> } {
  const calls = new Map<string, number>();
  return {
    name: 'heuristic',
    calls,
    async extract(messages, settings, opts) {
      const key = opts?.contentHash ?? '';
      const n = (calls.get(key) ?? 0) + 1;
      calls.set(key, n);
      const text = messages.map((m) => m.text).join('\n');
      if (text.includes('FLAKY') && n <= 2) throw new Error(`flaky extraction, call ${n}`);
      if (text.includes('BROKEN')) throw new Error('extraction service unavailable');
      if (text.includes('UNREADABLE')) throw new PermanentFileError('the export has no readable conversation');
      if (text.includes('STUCK')) await new Promise(() => undefined);
      if (text.includes('SLOW')) await sleep(1500);
      return extractHeuristic(messages, settings);
    },
  };
}

class RecordingNotifier implements ThreadNotifier {
  readonly replies: Array<{ origin: UploadOrigin; summary: FileSummary }> = [];
  failNext = false;
  async replyInThread(origin: UploadOrigin, summary: FileSummary): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('chat platform unavailable');
    }
    this.replies.push({ origin, summary });
  }
}

const origin: UploadOrigin = { platform: 'slack', workspaceId: 'T1', channelId: 'C1', threadId: '1700000000.000100' };

describe.each(DATABASE_KINDS)('upload pipeline on %s (jobs in the app database)', (kind) => {
  let services: TestServices;
  let jobs: JobSystem;
  let api: TestServer;
  let extractor: ReturnType<typeof scriptedExtractor>;
  const notifier = new RecordingNotifier();
  let user: { token: string; userId: string };
  let other: { token: string; userId: string };
  let admin: { token: string; userId: string };
  const retries: number[] = [];

  const fileDone = (fileId: string, status = 'done', timeout = 15_000) =>
    waitFor(async () => (await services.models.UploadedFile.findByPk(fileId))?.status === status, timeout, `file ${fileId} to be ${status}`);

  beforeAll(async () => {
    services = await openTestServices(kind, {
      JOB_MAX_RETRIES: '2',
      JOB_RETRY_BASE_SECONDS: '0.1',
      JOB_TIMEOUT_SECONDS: '2',
      CLEANUP_DAYS: '30',
      DEFAULT_TIMEZONE: 'Europe/Berlin',
    });
    extractor = scriptedExtractor();
    jobs = await createJobSystem(services, { worker: true, notifier, extractor, processEvery: 300 });
    jobs.agenda.on('retry', (_job: unknown, details: { delay: number }) => retries.push(details.delay));
    await jobs.start();
    api = await serve(createApi(services, { jobs: jobs.queue }));
    user = await account(api, 'uma');
    other = await account(api, 'otto');
    admin = await adminAccount(api, services, 'ada');
  });
  afterAll(async () => {
    await api?.close();
    await jobs?.stop(1000);
    await services?.dispose();
  });

  it('accepts an upload at once, processes it in the background and shows the job to its owner only', async () => {
    const res = await upload(api, user.token, 'launch.txt', whatsAppChat('launch'));
    expect(res.status).toBe(202);
    const { file_id: fileId, task_id: taskId } = res.body!;
    expect(typeof taskId).toBe('string');
    await fileDone(fileId!);
    const results = await storedResults(services, fileId!);
    expect(results).toMatchObject({ status: 'done', attempts: 1, oneSet: true, messages: 6 });
    expect(results.todos).toBeGreaterThan(0);

    await waitFor(async () => (await api.request('GET', `/api/v1/jobs/${taskId}`, { token: user.token })).body?.state === 'completed', 5000, 'the job to complete');
    const job = await api.request('GET', `/api/v1/jobs/${taskId}`, { token: user.token });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ id: taskId, name: 'process-uploaded-file', state: 'completed', attempts: 1, progress: 100, last_error: null, file_id: fileId });

    expect((await api.request('GET', `/api/v1/jobs/${taskId}`, { token: other.token })).status).toBe(404);
    expect((await api.request('GET', '/api/v1/jobs/no-such-job', { token: user.token })).status).toBe(404);
    expect((await api.request('GET', `/api/v1/jobs/${taskId}`)).status).toBe(401);
  });

  it('retries a failing attempt with exponential backoff and ends with one set of results', async () => {
    retries.length = 0;
    const res = await upload(api, user.token, 'flaky.txt', whatsAppChat('FLAKY'));
    expect(res.status).toBe(202);
    await fileDone(res.body!.file_id!);
    const results = await storedResults(services, res.body!.file_id!);
    expect(results).toMatchObject({ status: 'done', attempts: 3, oneSet: true, error: null });
    expect(retries).toEqual([100, 200]);
    const job = await api.request('GET', `/api/v1/jobs/${res.body!.task_id}`, { token: user.token });
    expect(job.body).toMatchObject({ state: 'completed', attempts: 3 });
  });

  it('fails a file for good after the last retry, with its reason, and tells the origin', async () => {
    const { file, jobId } = await ingestUpload(services, jobs.queue, { userId: user.userId, fileName: 'broken.txt', content: whatsAppChat('BROKEN'), origin });
    await fileDone(file.id, 'failed');
    const results = await storedResults(services, file.id);
    expect(results).toMatchObject({ status: 'failed', attempts: 3, error: 'extraction service unavailable', messages: 0 });
    await waitFor(async () => (await jobs.queue.getJob(jobId!))?.state === 'failed', 5000, 'the job to be failed');
    expect(await jobs.queue.getJob(jobId!)).toMatchObject({ state: 'failed', attempts: 3, last_error: 'extraction service unavailable' });
    const told = notifier.replies.filter((r) => r.summary.fileId === file.id);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ origin: { channelId: 'C1', threadId: origin.threadId }, summary: { status: 'failed', error: 'extraction service unavailable' } });
  });

  it('fails at once on a permanent error, without retries', async () => {
    const { file, jobId } = await ingestUpload(services, jobs.queue, { userId: user.userId, fileName: 'bad.txt', content: whatsAppChat('UNREADABLE'), origin });
    await fileDone(file.id, 'failed');
    expect(await storedResults(services, file.id)).toMatchObject({ attempts: 1, error: 'the export has no readable conversation' });
    await waitFor(async () => (await jobs.queue.getJob(jobId!))?.state === 'failed', 5000, 'the job to be failed');
    expect(notifier.replies.filter((r) => r.summary.fileId === file.id).map((r) => r.summary.status)).toEqual(['failed']);
  });

  it('tells the origin about a processed file; a failure to tell does not process it again', async () => {
    const { file } = await ingestUpload(services, jobs.queue, { userId: user.userId, fileName: 'told.txt', content: whatsAppChat('told'), origin });
    await fileDone(file.id);
    await waitFor(() => notifier.replies.some((r) => r.summary.fileId === file.id), 5000, 'the reply in the thread');
    const reply = notifier.replies.find((r) => r.summary.fileId === file.id)!;
    expect(reply.summary).toMatchObject({ status: 'done', messageCount: 6 });
    expect(reply.summary.todos.length).toBeGreaterThan(0);

    notifier.failNext = true;
    const quiet = await ingestUpload(services, jobs.queue, { userId: user.userId, fileName: 'unheard.txt', content: whatsAppChat('unheard'), origin });
    await fileDone(quiet.file.id);
    await waitFor(async () => (await jobs.queue.getJob(quiet.jobId!))?.state === 'completed', 5000, 'the job to complete');
    await sleep(500);
    expect(await storedResults(services, quiet.file.id)).toMatchObject({ attempts: 1, oneSet: true });
    expect(notifier.replies.some((r) => r.summary.fileId === quiet.file.id)).toBe(false);
  });

  it('stops an attempt at its time limit, so a stuck job cannot hold its lock', async () => {
    const started = Date.now();
    const { file, jobId } = await ingestUpload(services, jobs.queue, { userId: user.userId, fileName: 'stuck.txt', content: whatsAppChat('STUCK') });
    await fileDone(file.id, 'failed', 20_000);
    // Three attempts of two seconds each, plus the backoff between them.
    expect(Date.now() - started).toBeGreaterThanOrEqual(6000);
    expect(await storedResults(services, file.id)).toMatchObject({ attempts: 3, error: 'timed out after 2 s' });
    await waitFor(async () => (await jobs.queue.getJob(jobId!))?.state === 'failed', 5000, 'the job to be failed and unlocked');
  }, 30_000);

  it('answers a question about a file in the background and keeps the answer on the job', async () => {
    const res = await upload(api, user.token, 'ask.txt', whatsAppChat('ask'));
    await fileDone(res.body!.file_id!);
    const asked = await api.request('POST', '/api/v1/jobs/analyze-chat', { token: user.token, body: { file_id: res.body!.file_id, question: 'Who sends the budget report?' } });
    expect(asked.status).toBe(202);
    const taskId = asked.body.task_id as string;
    await waitFor(async () => (await api.request('GET', `/api/v1/jobs/${taskId}`, { token: user.token })).body?.state === 'completed', 10_000, 'the answer');
    const job = await api.request('GET', `/api/v1/jobs/${taskId}`, { token: user.token });
    expect(job.body.name).toBe('analyze-chat');
    expect(job.body.result.mode).toBe('extractive');
    expect(job.body.result.answer).toMatch(/budget report/i);
    expect(job.body.result.sources.length).toBeGreaterThan(0);
    expect((await api.request('GET', `/api/v1/jobs/${taskId}`, { token: other.token })).status).toBe(404);
    const foreign = await api.request('POST', '/api/v1/jobs/analyze-chat', { token: other.token, body: { file_id: res.body!.file_id, question: 'What?' } });
    expect(foreign.status).toBe(404);
  });

  it('schedules the cleanup in the default time zone and removes only old files, idempotently', async () => {
    const [cleanup] = (await jobs.agenda.queryJobs({ name: CLEANUP_OLD_FILES })).jobs;
    expect(cleanup).toMatchObject({ repeatInterval: '0 2 * * *', repeatTimezone: 'Europe/Berlin', type: 'single' });
    expect(cleanup!.nextRunAt!.getTime()).toBeGreaterThan(Date.now());

    const old = await ingestUpload(services, jobs.queue, { userId: user.userId, fileName: 'old.txt', content: whatsAppChat('old') });
    await fileDone(old.file.id);
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    await services.models.UploadedFile.update({ created_at: longAgo }, { where: { id: old.file.id }, silent: true });
    const before = await services.models.UploadedFile.count();

    for (let run = 0; run < 2; run++) {
      const job = await jobs.agenda.now(CLEANUP_OLD_FILES);
      await waitFor(async () => (await jobs.queue.getJob(String(job.attrs._id)))?.state === 'completed', 5000, 'the cleanup run');
    }
    expect(await services.models.UploadedFile.findByPk(old.file.id)).toBeNull();
    expect(await services.models.StoredMessage.count({ where: { file_id: old.file.id } })).toBe(0);
    expect(await services.models.UploadedFile.count()).toBe(before - 1);
  });

  it('shows operators counts, running and failed jobs, and lets them retry and cancel', async () => {
    expect((await api.request('GET', '/api/v1/admin/jobs', { token: user.token })).status).toBe(403);
    const view = await api.request('GET', '/api/v1/admin/jobs', { token: admin.token });
    expect(view.status).toBe(200);
    const processing = view.body.counts.find((c: { name: string }) => c.name === 'process-uploaded-file');
    expect(processing.completed).toBeGreaterThanOrEqual(3);
    expect(processing.failed).toBeGreaterThanOrEqual(2);
    expect(view.body.failed.map((f: { reason: string }) => f.reason)).toEqual(expect.arrayContaining(['extraction service unavailable']));
    expect(view.body.scheduled.map((j: { name: string }) => j.name)).toEqual([]);
    expect(view.body.worker).toMatchObject({ has_notification_channel: true });

    // Retry a failed file's job: with the scripted failure gone, it finishes.
    const failed = view.body.failed.find((f: { reason: string }) => f.reason === 'the export has no readable conversation');
    extractor.calls.clear();
    const again = await api.request('POST', `/api/v1/admin/jobs/${failed.id}/retry`, { token: admin.token });
    expect(again.status).toBe(200);
    await fileDone(failed.file_id, 'failed'); // still unreadable: fails once more, at once
    expect([...extractor.calls.values()]).toEqual([1]);
    expect((await api.request('POST', `/api/v1/admin/jobs/${failed.id}/retry`, { token: user.token })).status).toBe(403);

    // Cancel a job that waits: its file is marked failed.
    const later = await jobs.agenda.schedule(new Date(Date.now() + 60_000), 'process-uploaded-file', { fileId: failed.file_id, userId: user.userId });
    const laterId = String(later.attrs._id);
    await services.models.UploadedFile.update({ status: 'queued', job_id: laterId }, { where: { id: failed.file_id } });
    expect((await api.request('GET', '/api/v1/admin/jobs', { token: admin.token })).body.scheduled.map((j: { id: string }) => j.id)).toContain(laterId);
    expect((await api.request('POST', `/api/v1/admin/jobs/${laterId}/cancel`, { token: admin.token })).status).toBe(204);
    expect(await jobs.queue.getJob(laterId)).toBeNull();
    expect((await services.models.UploadedFile.findByPk(failed.file_id))?.error).toMatch(/cancelled/);
    expect((await api.request('POST', `/api/v1/admin/jobs/${laterId}/cancel`, { token: admin.token })).status).toBe(404);
  });

  it('shuts down gracefully: a job that outlives the grace period is unlocked and finished by another worker', async () => {
    const { file, jobId } = await ingestUpload(services, jobs.queue, { userId: user.userId, fileName: 'slow.txt', content: whatsAppChat('SLOW') });
    await waitFor(async () => (await services.models.UploadedFile.findByPk(file.id))?.status === 'processing', 5000, 'processing to start');
    const stoppedAt = Date.now();
    await jobs.stop(200);
    expect(Date.now() - stoppedAt).toBeLessThan(1500);
    const look = await createJobSystem(services, { worker: false });
    await look.start();
    const job = (await look.agenda.queryJobs({ id: jobId! })).jobs[0]!;
    await look.stop();
    expect(job.lockedAt ?? null).toBeNull();
    expect(job.nextRunAt).toBeInstanceOf(Date);
    expect(job.failCount ?? 0).toBe(0);
    expect((await services.models.UploadedFile.findByPk(file.id))?.status).toBe('queued');

    jobs = await createJobSystem(services, { worker: true, notifier, extractor, processEvery: 300 });
    await jobs.start();
    await fileDone(file.id);
    expect(await storedResults(services, file.id)).toMatchObject({ attempts: 2, oneSet: true });
  });
});
