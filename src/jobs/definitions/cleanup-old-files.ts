/**
 * `cleanup-old-files`: on its schedule (CLEANUP_CRON in the default time zone), deletes the files
 * older than CLEANUP_DAYS with their messages, todos and events. Deleting what is already gone
 * removes nothing, so a repeated run is harmless.
 */
import { deleteFilesOlderThan } from '../../services/uploads.js';
import type { JobContext } from '../context.js';
import { withTimeLimit } from '../limits.js';
import { CLEANUP_OLD_FILES } from '../names.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function cleanupOldFilesJob(jobs: JobContext) {
  const { services } = jobs;
  const log = services.logger.child({ job: CLEANUP_OLD_FILES });
  return async (): Promise<void> => {
    const days = services.config.jobs.cleanupDays;
    const cutoff = new Date(services.now().getTime() - days * DAY_MS);
    const removed = await withTimeLimit(jobs.timeoutMs[CLEANUP_OLD_FILES], jobs.stopping, () => deleteFilesOlderThan(services, cutoff));
    log.info({ cutoff: cutoff.toISOString(), days, removed: removed.length, files: removed }, `removed ${removed.length} file(s) older than ${days} days`);
  };
}
