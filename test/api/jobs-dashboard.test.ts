/**
 * The Agenda dashboard (agendash) at /admin/jobs, on the embedded SQLite store, PostgreSQL and
 * Redis: administrators get the page, its assets and its API listing a real upload's job; others
 * get 401 (anonymous) or 403 (not an administrator) as JSON. Browsers get in with a one-time ticket
 * exchanged for an HttpOnly cookie that ends with the session and is no API token.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deleteRedisNamespace } from '../support/redis.js';
import pg from 'pg';
import { createApi } from '../../src/api/app.js';
import { createJobSystem, type JobSystem } from '../../src/jobs/index.js';
import { PROCESS_UPLOADED_FILE } from '../../src/jobs/names.js';
import { ingestUpload } from '../../src/services/uploads.js';
import { openTestServices, POSTGRES_ADMIN_URL, type TestServices } from '../support/databases.js';
import { serve, type TestServer } from '../support/http.js';
import { uniqueNamespace } from '../jobs/helpers/wait.js';
import { account, adminAccount, whatsAppChat } from '../jobs/pipeline-support.js';

const REDIS_URL = process.env.JOBS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Store {
  label: string;
  jobsUrl?: string;
  cleanup(namespace: string): Promise<void>;
}

const stores: Store[] = [
  { label: 'the embedded SQLite store', cleanup: async () => undefined },
  {
    label: 'PostgreSQL',
    jobsUrl: POSTGRES_ADMIN_URL,
    async cleanup(namespace) {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP TABLE IF EXISTS "${namespace}" CASCADE`);
      await client.query(`DROP TABLE IF EXISTS "${namespace}_logs" CASCADE`);
      await client.query(`DROP FUNCTION IF EXISTS "update_${namespace}_updated_at"()`);
      await client.end();
    },
  },
  {
    label: 'Redis',
    jobsUrl: REDIS_URL,
    cleanup: (namespace) => deleteRedisNamespace(REDIS_URL, namespace),
  },
];

function cookieOf(res: Response): string {
  const header = res.headers.get('set-cookie') ?? '';
  return header.split(';')[0]!;
}

describe.each(stores.map((s) => [s.label, s] as const))('job dashboard on %s', (_label, store) => {
  let services: TestServices;
  let jobs: JobSystem;
  let api: TestServer;
  let admin: { token: string; userId: string };
  let user: { token: string; userId: string };
  let jobId: string;
  const namespace = uniqueNamespace('dashboard');

  beforeAll(async () => {
    services = await openTestServices('sqlite', store.jobsUrl ? { JOBS_URL: store.jobsUrl } : {});
    // An API without a worker: the upload's job stays queued in the store for the dashboard to show.
    jobs = await createJobSystem(services, { worker: false, namespace: store.jobsUrl ? namespace : undefined });
    await jobs.start();
    api = await serve(createApi(services, { jobs: jobs.queue, agenda: jobs.agenda }));
    admin = await adminAccount(api, services, 'ada');
    user = await account(api, 'bob');
    const ingested = await ingestUpload(services, jobs.queue, { userId: user.userId, fileName: 'team.txt', content: whatsAppChat('dashboard', 8) });
    jobId = ingested.jobId!;
  });
  afterAll(async () => {
    await api?.close();
    await jobs?.stop(1000);
    await services?.dispose();
    await store.cleanup(namespace);
  });

  it('answers anonymous requests 401 and non-administrators 403, as JSON', async () => {
    for (const path of ['/admin/jobs', '/admin/jobs/', '/admin/jobs/api?limit=5', '/admin/jobs/assets/x.js']) {
      const anonymous = await api.request('GET', path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthorized');
      const notAdmin = await api.request('GET', path, { token: user.token });
      expect(notAdmin.status).toBe(403);
      expect(notAdmin.body.error.code).toBe('forbidden');
    }
    const post = await api.request('POST', '/admin/jobs/api/jobs/delete', { token: user.token, body: { jobIds: [jobId] } });
    expect(post.status).toBe(403);
    expect((await api.request('POST', '/api/v1/admin/jobs/dashboard', { token: user.token })).status).toBe(403);
    expect((await api.request('POST', '/api/v1/admin/jobs/dashboard')).status).toBe(401);
    expect(await jobs.queue.getJob(jobId)).not.toBeNull();
  });

  it('serves the dashboard page, its assets and its API listing the queued job to an administrator', async () => {
    const bare = await fetch(`${api.url}/admin/jobs`, { headers: { authorization: `Bearer ${admin.token}` }, redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/admin/jobs/');

    const page = await api.request('GET', '/admin/jobs/', { token: admin.token });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('<div id="app"></div>');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.text)![1]!;
    const asset = await api.request('GET', `/admin/jobs/${script}`, { token: admin.token });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const listed = await api.request('GET', `/admin/jobs/api?job=${PROCESS_UPLOADED_FILE}&limit=50`, { token: admin.token });
    expect(listed.status).toBe(200);
    const job = listed.body.jobs.find((j: { job: { _id: string } }) => j.job._id === jobId);
    expect(job).toBeDefined();
    expect(job.job.name).toBe(PROCESS_UPLOADED_FILE);
    expect(job.queued).toBe(true);
    const all = listed.body.overview.find((o: { displayName: string }) => o.displayName === 'All Jobs');
    expect(all.total).toBeGreaterThanOrEqual(1);
    const queued = await api.request('GET', '/admin/jobs/api?state=queued&limit=50', { token: admin.token });
    expect(queued.body.jobs.map((j: { job: { _id: string } }) => j.job._id)).toContain(jobId);

    const missing = await api.request('GET', '/admin/jobs/nothing-here', { token: admin.token });
    expect(missing.status).toBe(404);
  });

  it('lets a browser in with a one-time ticket and a cookie that is no API token and ends with the session', async () => {
    const { token } = await adminAccount(api, services, `eve${Math.random().toString(36).slice(2, 6)}`);
    const issued = await api.request('POST', '/api/v1/admin/jobs/dashboard', { token });
    expect(issued.status).toBe(200);
    expect(issued.body.expires_in).toBe(60);
    const ticketUrl = new URL(issued.body.url as string);
    expect(ticketUrl.pathname).toBe('/admin/jobs/');
    const open = `${api.url}${ticketUrl.pathname}${ticketUrl.search}`;

    const exchanged = await fetch(open, { redirect: 'manual' });
    expect(exchanged.status).toBe(303);
    expect(exchanged.headers.get('location')).toBe('/admin/jobs/');
    const setCookie = exchanged.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/samesite=strict/i);
    expect(setCookie).toMatch(/path=\/admin\/jobs/i);
    const cookie = cookieOf(exchanged);

    // Used once only.
    expect((await fetch(open, { redirect: 'manual' })).status).toBe(401);

    const listed = await api.request('GET', '/admin/jobs/api?limit=50', { headers: { cookie } });
    expect(listed.status).toBe(200);
    expect(listed.body.jobs.map((j: { job: { _id: string } }) => j.job._id)).toContain(jobId);
    expect((await api.request('GET', '/admin/jobs/', { headers: { cookie } })).status).toBe(200);

    // Neither the ticket nor the cookie is an access token for the API.
    const cookieToken = cookie.split('=')[1]!;
    expect((await api.request('GET', '/api/v1/auth/me', { token: cookieToken })).status).toBe(401);
    expect((await api.request('GET', '/api/v1/auth/me', { token: ticketUrl.searchParams.get('ticket')! })).status).toBe(401);

    // Changes from another origin are refused; from the dashboard's own they work.
    const crossSite = await api.request('POST', '/admin/jobs/api/jobs/pause', { headers: { cookie, origin: 'https://evil.example' }, body: { jobIds: [jobId] } });
    expect(crossSite.status).toBe(403);
    const paused = await api.request('POST', '/admin/jobs/api/jobs/pause', { headers: { cookie, origin: api.url }, body: { jobIds: [jobId] } });
    expect(paused.status).toBe(200);
    expect(paused.body.pausedCount).toBe(1);
    const resumed = await api.request('POST', '/admin/jobs/api/jobs/resume', { headers: { cookie, origin: api.url }, body: { jobIds: [jobId] } });
    expect(resumed.body.resumedCount).toBe(1);

    // Logging out ends the dashboard session too.
    expect((await api.request('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
    expect((await api.request('GET', '/admin/jobs/api?limit=5', { headers: { cookie } })).status).toBe(401);
  });
});
