/** What every job definition is given by the worker that runs it. */
import type { ServiceContext } from '../services/context.js';
import type { FileExtractor } from '../services/extraction.js';
import type { ChannelHistoryReader } from '../services/history-import.js';
import type { ThreadNotifier } from '../services/process-file.js';
import type { FileProcessingQueue } from '../services/uploads.js';
import type { RetryPolicy } from './limits.js';
import type { JobName } from './names.js';

export interface JobContext {
  services: ServiceContext;
  extractor: FileExtractor;
  notifier?: ThreadNotifier;
  /** Read a channel's history for `import-channel-history`, one per platform this worker can reach. */
  historyReaders: ChannelHistoryReader[];
  /** Queues the processing of files a job takes in (an imported history). */
  queue: FileProcessingQueue;
  retry: RetryPolicy;
  /** Time limit of each job type, in milliseconds. */
  timeoutMs: Record<JobName, number>;
  /** Aborted when the worker's shutdown grace is over: running jobs stop and run again elsewhere. */
  stopping: AbortSignal;
}
