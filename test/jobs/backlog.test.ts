/**
 * A worker with a backlog takes the next due job as soon as one finishes, not at its next poll:
 * jobs queued before it started (so no wake-up reached it) all run while its poll interval is
 * far away. On SQLite (two jobs at once per worker) and PostgreSQL (four).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createJobSystem, type JobSystem } from '../../src/jobs/index.js';
import { createUser } from '../../src/services/auth.js';
import { ingestUpload } from '../../src/services/uploads.js';
import { DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { waitFor } from './helpers/wait.js';
import { whatsAppChat } from './pipeline-support.js';

const opened: Array<{ services: TestServices; systems: JobSystem[] }> = [];
afterEach(async () => {
  for (const { services, systems } of opened.splice(0)) {
    for (const system of systems.reverse()) await system.stop(1000);
    await services.dispose();
  }
});

describe.each(DATABASE_KINDS)('a worker with a backlog on %s', (kind) => {
  it('runs job after job without waiting for its poll', async () => {
    const services = await openTestServices(kind, { WORKER_CONCURRENCY: '4' });
    const systems: JobSystem[] = [];
    opened.push({ services, systems });
    const user = await createUser(services, { username: 'gil', email: 'gil@example.com', password: 'correct horse battery' });
    const api = await createJobSystem(services, { worker: false });
    systems.push(api);
    await api.start();
    const files = 12;
    for (let i = 0; i < files; i++) {
      await ingestUpload(services, api.queue, { userId: user.id, fileName: `chat-${i}.txt`, content: whatsAppChat(`backlog ${i}`, 20) });
    }

    // The first poll runs at start and takes as many jobs as the worker runs at once (2 or 4);
    // the next poll is ten minutes away.
    const worker = await createJobSystem(services, { worker: true, processEvery: '10 minutes' });
    systems.push(worker);
    let ran = 0;
    worker.agenda.on('success:process-uploaded-file', (_job: unknown, remote?: boolean) => {
      if (remote !== true) ran++;
    });
    await worker.start();
    await waitFor(async () => ran === files, 20_000, 'every job to finish');
    expect(await services.models.UploadedFile.count({ where: { status: 'done' } })).toBe(files);
  }, 40_000);
});
