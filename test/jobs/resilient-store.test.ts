/**
 * The store wrapper that retries what Agenda does not: saving a finished job's state, and giving
 * back a lock Agenda releases without waiting (a failure there left the job locked, unrun, for
 * the whole lock lifetime, and the rejection unhandled).
 */
import { describe, expect, it } from '@jest/globals';
import type { AgendaBackend, JobParameters, JobRepository } from 'agenda';
import { withOutcomeSaveRetries } from '../../src/jobs/resilient-store.js';
import { createLogger } from '../../src/logger.js';

function backendFailing(times: number, calls: string[]): AgendaBackend {
  const failuresLeft = { save: times, unlock: times };
  const repository = {
    async saveJobState() {
      calls.push('save');
      if (failuresLeft.save-- > 0) throw new Error('Connection terminated unexpectedly');
    },
    async unlockJob() {
      calls.push('unlock');
      if (failuresLeft.unlock-- > 0) throw new Error('terminating connection due to administrator command');
    },
    async getQueueSize() {
      return 7;
    },
  } as unknown as JobRepository;
  return { name: 'fake', repository, connect: async () => undefined, disconnect: async () => undefined } as unknown as AgendaBackend;
}

const job = { _id: 'j1', name: 'process-uploaded-file' } as unknown as JobParameters;
const log = createLogger('silent');

describe('job store retries', () => {
  it('gives a lock back on a later attempt when the first ones fail', async () => {
    const calls: string[] = [];
    const backend = withOutcomeSaveRetries(backendFailing(2, calls), log);
    await expect(backend.repository.unlockJob(job)).resolves.toBeUndefined();
    expect(calls).toEqual(['unlock', 'unlock', 'unlock']);
  });

  it('stops trying to give a lock back after six attempts without throwing (the lock expires instead)', async () => {
    const calls: string[] = [];
    const backend = withOutcomeSaveRetries(backendFailing(100, calls), log);
    await expect(backend.repository.unlockJob(job)).resolves.toBeUndefined();
    expect(calls).toHaveLength(6);
  }, 15_000);

  it('saves a finished job on a later attempt, and gives up with the error after six', async () => {
    const calls: string[] = [];
    await withOutcomeSaveRetries(backendFailing(1, calls), log).repository.saveJobState(job, undefined);
    expect(calls).toEqual(['save', 'save']);
    const failing: string[] = [];
    await expect(withOutcomeSaveRetries(backendFailing(100, failing), log).repository.saveJobState(job, undefined)).rejects.toThrow(/terminated unexpectedly/);
    expect(failing).toHaveLength(6);
  }, 15_000);

  it('passes everything else through', async () => {
    const backend = withOutcomeSaveRetries(backendFailing(0, []), log);
    await expect(backend.repository.getQueueSize()).resolves.toBe(7);
  });
});
