/** Shared by the bot tests: a chat export, and a way to store and process one for an account. */
import { createFileExtractor } from '../../src/services/extraction.js';
import type { ServiceContext } from '../../src/services/context.js';
import { processUploadedFile, type FileSummary } from '../../src/services/process-file.js';
import { ingestUpload, type FileProcessingQueue, type UploadOrigin } from '../../src/services/uploads.js';

/** A short team chat with a todo for Bob, one for Alice, a dated event and an undated one. */
export function teamChat(tag = ''): Buffer {
  return Buffer.from(
    [
      `[2030-03-14 09:15] Alice: Morning all${tag}`,
      '[2030-03-14 09:16] Alice: Bob, please send the budget report by Friday, it is urgent',
      '[2030-03-14 09:17] Bob: Will do. Alice, can you book the venue for the offsite?',
      '[2030-03-14 09:18] Alice: Sure, I will book the venue',
      '[2030-03-14 09:20] Carol: The product launch meeting is on 2030-03-20 at 10:00',
      '[2030-03-14 09:21] Bob: We should also plan a team dinner sometime, date to be decided',
      '[2030-03-14 09:22] Carol: The launch location is the Berlin office, room Spree',
    ].join('\n') + '\n',
  );
}

/** A queue that only hands out job ids: the test runs the processing itself. */
export function recordingQueue(): FileProcessingQueue & { queued: string[] } {
  const queued: string[] = [];
  return {
    queued,
    async enqueueFileProcessing(file) {
      queued.push(file.id);
      return `job-${queued.length}`;
    },
  };
}

export async function storeProcessedChat(
  ctx: ServiceContext,
  userId: string,
  origin: UploadOrigin | undefined,
  content = teamChat(),
  fileName = 'team.txt',
): Promise<FileSummary> {
  const { file } = await ingestUpload(ctx, recordingQueue(), { userId, fileName, content, origin });
  return processUploadedFile(ctx, file.id, { extractor: createFileExtractor(ctx) });
}
