// A worker process for the fault tests, run from the compiled dist/ (npm run build). It is the
// real job system; only extraction can be told to wait: while the file named by HOLD_FILE is
// absent, extraction waits (so the test can kill the process mid-job). Prints "ready" when it
// takes jobs and exits 0 after a graceful stop on SIGTERM.
import { existsSync } from 'node:fs';
import { loadConfig } from '../../dist/config/index.js';
import { openServices } from '../../dist/src/boot.js';
import { createLogger } from '../../dist/src/logger.js';
import { createJobSystem } from '../../dist/src/jobs/index.js';
import { createFileExtractor } from '../../dist/src/services/extraction.js';

const config = loadConfig();
const services = await openServices(config, { logger: createLogger(process.env.LOG_LEVEL ?? 'warn'), migrate: false });
const real = createFileExtractor(services);
const hold = process.env.HOLD_FILE;
const extractor = {
  name: real.name,
  async extract(messages, settings, opts) {
    while (hold && !existsSync(hold)) {
      opts?.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return real.extract(messages, settings, opts);
  },
};
const jobs = await createJobSystem(services, {
  worker: true,
  extractor,
  name: process.env.WORKER_NAME,
  processEvery: Number(process.env.PROCESS_EVERY_MS ?? 200),
});
await jobs.start();
process.stdout.write('ready\n');
process.once('SIGTERM', async () => {
  await jobs.stop(config.jobs.shutdownGraceSeconds * 1000);
  await services.close();
  process.exit(0);
});
