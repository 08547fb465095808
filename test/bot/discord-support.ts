/** Shared by the Discord bot tests and bench: the fake Discord, a real database, the real job system and the bot. */
import { createDiscordBot, discordHistoryReaderFromToken, type DiscordBot, type DiscordBotDeps } from '../../src/bot/discord/index.js';
import { registerDiscordCommands } from '../../src/bot/discord/register.js';
import { createJobSystem, type JobSystem } from '../../src/jobs/index.js';
import { createFileExtractor } from '../../src/services/extraction.js';
import { markFileFailed, originOf, processUploadedFile, type ThreadNotifier } from '../../src/services/process-file.js';
import type { FileProcessingQueue } from '../../src/services/uploads.js';
import type { ServiceContext } from '../../src/services/context.js';
import { startFakeDiscord, type FakeDiscord, type RecordedDiscordRequest } from '../fakes/discord.js';
import { openTestServices, type TestServices } from '../support/databases.js';

export const GUILD = '1200000000000000001';
export const CHANNEL = '1300000000000000001';
export const HISTORY_CHANNEL = '1300000000000000002';
export const WATCHED_CHANNEL = '1300000000000000003';

export const ALICE = { id: '1400000000000000001', username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null, public_flags: 0, flags: 0 };
export const BOB = { id: '1400000000000000002', username: 'bob', discriminator: '0', global_name: 'Bob', avatar: null, public_flags: 0, flags: 0 };

/** A short team chat: a todo for Bob, one for Alice, a dated event and an undated one. */
export function teamChat(tag = ''): Buffer {
  return Buffer.from(
    [
      `[2030-03-14 09:15] Alice: Morning all${tag}`,
      '[2030-03-14 09:16] Alice: Bob, please send the budget report by Friday, it is urgent',
      '[2030-03-14 09:17] Bob: Will do. Alice, can you book the venue for the offsite?',
      '[2030-03-14 09:18] Alice: Sure, I will book the venue',
      '[2030-03-14 09:20] Carol: The product launch meeting is on 2030-03-20 at 10:00',
      '[2030-03-14 09:21] Bob: We should also plan a team dinner sometime, date to be decided',
    ].join('\n') + '\n',
  );
}

/**
 * Processing as the job does it (processUploadedFile, then the notifier with the summary; a failure
 * marks the file failed and is told too), started right after enqueueing, without a job store.
 */
export function directProcessingQueue(services: ServiceContext, notifier: () => ThreadNotifier): FileProcessingQueue & { idle(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const extractor = createFileExtractor(services);
  let n = 0;
  return {
    async enqueueFileProcessing(file) {
      const jobId = `direct-${++n}`;
      const work = (async () => {
        await new Promise((resolve) => setImmediate(resolve));
        let summary;
        try {
          summary = await processUploadedFile(services, file.id, { extractor });
        } catch (err) {
          summary = await markFileFailed(services, file.id, err instanceof Error ? err.message : String(err));
        }
        const row = summary ? await services.models.UploadedFile.findByPk(file.id) : null;
        const origin = row ? originOf(row) : null;
        if (summary && origin) await notifier().replyInThread(origin, summary);
      })();
      running.add(work);
      void work.finally(() => running.delete(work));
      return jobId;
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}

export interface DiscordRig {
  fake: FakeDiscord;
  services: TestServices;
  /** The job system when `jobs: 'agenda'`; null with direct processing. */
  jobs: JobSystem | null;
  bot: DiscordBot;
  close(): Promise<void>;
}

/**
 * Fake Discord + SQLite + embedded job system with a worker + the bot, logged in, `/teamsync`
 * registered. The worker reads channel histories with a REST-only reader, as `teamsync worker` does.
 */
export async function startDiscordRig(options: { bot?: Partial<DiscordBotDeps>; heartbeatIntervalMs?: number; jobs?: 'agenda' | 'direct' } = {}): Promise<DiscordRig> {
  const fake = await startFakeDiscord({
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
    guilds: [
      {
        id: GUILD,
        name: 'TeamSync Test',
        channels: [
          { id: CHANNEL, name: 'general' },
          { id: HISTORY_CHANNEL, name: 'history' },
          { id: WATCHED_CHANNEL, name: 'exports' },
        ],
      },
    ],
  });
  const services = await openTestServices('sqlite');
  let bot: DiscordBot | undefined;
  const notifier: ThreadNotifier = { replyInThread: (origin, summary) => bot!.notifier.replyInThread(origin, summary) };
  let jobs: JobSystem | null = null;
  let queue: FileProcessingQueue & { idle?: () => Promise<void> };
  if (options.jobs === 'agenda') {
    const system = await createJobSystem(services, {
      worker: true,
      notifier,
      historyReaders: [discordHistoryReaderFromToken(fake.token, fake.apiUrl, services.logger)],
      processEvery: '1 second',
      name: 'discord-test',
    });
    await system.start();
    jobs = system;
    queue = system.queue;
  } else {
    queue = directProcessingQueue(services, () => notifier);
  }
  bot = createDiscordBot(services, { queue, token: fake.token, apiUrl: fake.apiUrl, ...options.bot });
  await registerDiscordCommands({ token: fake.token, applicationId: fake.applicationId, guildId: GUILD, apiUrl: fake.apiUrl });
  await bot.start();
  return {
    fake,
    services,
    jobs,
    bot,
    async close() {
      await bot?.stop();
      await queue.idle?.();
      await jobs?.stop(2000);
      await fake.close();
      await services.dispose();
    },
  };
}

type Json = Record<string, unknown>;

/** The body of a request as JSON text, for loose content checks. */
export const text = (r: RecordedDiscordRequest): string => JSON.stringify(r.body ?? {});

/** The edit of an interaction's original reply whose body satisfies `predicate`. */
export function waitForEdit(fake: FakeDiscord, token: string, predicate: (body: Json) => boolean = () => true, timeoutMs = 10_000): Promise<RecordedDiscordRequest> {
  return fake.waitForRequest('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, timeoutMs, (r) => r.path.includes(token) && predicate((r.body ?? {}) as Json));
}

/** A message the bot posted in a channel (or thread) whose body satisfies `predicate`. */
export function waitForPost(fake: FakeDiscord, channelId: string, predicate: (body: Json) => boolean = () => true, timeoutMs = 15_000): Promise<RecordedDiscordRequest> {
  return fake.waitForRequest('POST', /^\/channels\/\d+\/messages$/, timeoutMs, (r) => r.path === `/channels/${channelId}/messages` && r.status === 200 && predicate((r.body ?? {}) as Json));
}
