/**
 * Uploads never block and are never lost: 100 concurrent uploads from one account over HTTP are
 * each accepted or clearly refused (a status and a JSON reason), and every accepted file ends
 * processed, on the embedded default (SQLite, worker in the API process) and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApi } from '../../src/api/app.js';
import { createJobSystem, type JobSystem } from '../../src/jobs/index.js';
import { DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { serve, type TestServer } from '../support/http.js';
import { waitFor } from '../jobs/helpers/wait.js';
import { account, upload, whatsAppChat } from '../jobs/pipeline-support.js';

describe.each(DATABASE_KINDS)('100 concurrent uploads on %s', (kind) => {
  let services: TestServices;
  let jobs: JobSystem;
  let api: TestServer;

  beforeAll(async () => {
    services = await openTestServices(kind, { JOB_RETRY_BASE_SECONDS: '0.2' });
    jobs = await createJobSystem(services, { worker: true, processEvery: 300 });
    await jobs.start();
    api = await serve(createApi(services, { jobs: jobs.queue }));
  });
  afterAll(async () => {
    await api?.close();
    await jobs?.stop(1000);
    await services?.dispose();
  });

  it('accepts or clearly refuses each, answers quickly, and processes every accepted file', async () => {
    const { token } = await account(api, 'burst');
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => upload(api, token, `burst-${i}.txt`, whatsAppChat(`burst ${i}`))),
    );
    const elapsed = Date.now() - started;

    const accepted = responses.filter((r) => r.status === 202);
    const refused = responses.filter((r) => r.status !== 202);
    for (const r of refused) {
      expect([400, 409, 413, 415, 422, 429, 503]).toContain(r.status);
      expect(typeof r.body?.error?.message).toBe('string');
    }
    expect(accepted.length).toBeGreaterThan(0);
    expect(new Set(accepted.map((r) => r.body!.file_id)).size).toBe(accepted.length);
    // Accepting is storing and queueing, not processing: the whole burst is answered in seconds.
    expect(elapsed).toBeLessThan(15_000);

    const { UploadedFile } = services.models;
    await waitFor(async () => (await UploadedFile.count({ where: { status: 'done' } })) === accepted.length, 45_000, 'every accepted file to be processed');
    expect(await UploadedFile.count()).toBe(accepted.length);
    for (const r of accepted) {
      const job = await api.request('GET', `/api/v1/jobs/${r.body!.task_id}`, { token });
      expect(job.status).toBe(200);
    }
    process.stdout.write(`${kind}: ${accepted.length} accepted, ${refused.length} refused, burst answered in ${elapsed} ms\n`);
  }, 60_000);
});
