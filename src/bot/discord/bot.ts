/**
 * The Discord bot (discord.js 14): `/teamsync` subcommands, files shared with the bot, history
 * imports, and the buttons under results.
 *
 * Intents: Guilds and GuildMessages only by default, so no privileged intent is needed. Files come
 * in through the slash command's attachment option, or a message that mentions the bot (Discord
 * hands those over in full). With `messageContent` (the privileged Message Content intent, enabled
 * in the developer portal), files posted in the `watchChannelIds` channels are picked up as well.
 *
 * Every interaction is deferred at once (private answers ephemerally) and its reply edited when the
 * work is done, so slow work never misses Discord's 3-second window.
 */
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  REST,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
} from 'discord.js';
import { createCommandSet, importQueuedReply, type CommandRequest, type CommandSet, type PlatformActor, type CommandName, type CommandReply } from '../commands/index.js';
import type { ServiceContext } from '../../services/context.js';
import { AppError } from '../../services/errors.js';
import type { ChannelHistoryReader, HistoryImportQueue } from '../../services/history-import.js';
import { findIdentity } from '../../services/linking.js';
import { claimPlatformEvent } from '../../services/platform-events.js';
import type { ThreadNotifier } from '../../services/process-file.js';
import { listFiles, type FileProcessingQueue } from '../../services/uploads.js';
import { DISCORD_COMMAND_NAME } from './command-data.js';
import { downloadAttachment, duplicateText, ingestFromDiscord, type DiscordIngestPlace } from './ingest.js';
import { createDiscordHistoryReader } from './history.js';
import { createDiscordThreadNotifier } from './notifier.js';
import { DONE_PREFIX, FEED_BUTTON_ID, plain, renderReply, truncate, type DiscordMessageBody } from './render.js';
import { ensureMessageThread } from './threads.js';

export interface DiscordBotDeps {
  /**
   * Where accepted files are queued for processing and history imports as jobs (the job system's
   * queue). A queue without `enqueueHistoryImport` turns history imports away.
   */
  queue: FileProcessingQueue & Partial<HistoryImportQueue>;
  /** Bot token; default `config.discord.token`. */
  token?: string;
  /** REST base URL (`rest: { api }`); default `config.discord.apiUrl`. */
  apiUrl?: string;
  /** The neutral command set; default `createCommandSet(services, { prefix: '/teamsync' })`. */
  commands?: CommandSet;
  /** Identify with the privileged Message Content intent (it must be enabled for the app). */
  messageContent?: boolean;
  /** With `messageContent`: channels whose shared files are imported without a mention. */
  watchChannelIds?: string[];
}

export interface DiscordBot {
  readonly client: Client;
  /** Posts a processed file's results in its thread; give it to the job system. */
  readonly notifier: ThreadNotifier;
  /** Reads channel histories for the `import-channel-history` job (REST only); give it to the job system. */
  readonly historyReader: ChannelHistoryReader;
  /** Logs in and resolves once the gateway session is ready. */
  start(): Promise<void>;
  /** Waits for the handlers under way and closes the gateway connection. */
  stop(): Promise<void>;
  /** Resolves when the work started so far (commands, shared files) is done. */
  idle(): Promise<void>;
}

/** At most this many files of one message are imported. */
const FILES_PER_MESSAGE = 5;
const MEDIA = /^(image|video|audio)\//;

const ephemeral = { flags: MessageFlags.Ephemeral } as const;

function withoutPings(body: DiscordMessageBody) {
  return { ...body, allowedMentions: { parse: [] } };
}

export function createDiscordBot(services: ServiceContext, deps: DiscordBotDeps): DiscordBot {
  const { config } = services;
  const log = services.logger.child({ component: 'discord' });
  const token = deps.token ?? config.discord.token;
  if (!token) throw new Error('createDiscordBot needs a bot token (DISCORD_TOKEN)');
  const apiUrl = deps.apiUrl ?? config.discord.apiUrl;
  const commands = deps.commands ?? createCommandSet(services, { prefix: `/${DISCORD_COMMAND_NAME}`, imports: deps.queue });
  const watched = new Set(deps.messageContent ? (deps.watchChannelIds ?? []) : []);
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, ...(deps.messageContent ? [GatewayIntentBits.MessageContent] : [])];
  const client = new Client({ intents, rest: { api: apiUrl } });
  const rest: REST = client.rest;
  const notifierRest = new REST({ api: apiUrl }).setToken(token);
  const notifier = createDiscordThreadNotifier({ rest: notifierRest, timeZone: config.defaultTimeZone, logger: log });
  const historyReader = createDiscordHistoryReader({ rest: notifierRest, logger: services.logger });
  const background = new Set<Promise<void>>();
  const stopping = new AbortController();
  const timeZone = config.defaultTimeZone;
  const render = (reply: CommandReply) => withoutPings(renderReply(reply, { defaultTimeZone: timeZone }));
  const maxBytes = config.limits.uploadBytes;

  function track(work: Promise<void>, what: string): void {
    const task = work.catch((err: unknown) => log.error({ err, what }, 'discord handler failed'));
    background.add(task);
    void task.finally(() => background.delete(task));
  }

  const botId = () => client.user?.id ?? '';

  function actorOf(user: { id: string; username: string; globalName: string | null }, guildId: string | null, displayName?: string | null): PlatformActor {
    return { platform: 'discord', workspaceId: guildId ?? '', userId: user.id, displayName: displayName ?? user.globalName ?? user.username };
  }

  function interactionActor(interaction: Interaction): PlatformActor {
    const member = interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : null;
    return actorOf(interaction.user, interaction.guildId, member);
  }

  // ------------------------------------------------------------ slash command options -> request

  function requestOf(interaction: ChatInputCommandInteraction): CommandRequest {
    const o = interaction.options;
    const name = o.getSubcommand() as CommandName;
    const words: string[] = [];
    const quote = (s: string) => (/\s/.test(s) ? `"${s.replace(/"/g, '')}"` : s);
    switch (name) {
      case 'link':
        words.push(o.getString('code') ?? '');
        break;
      case 'todos': {
        const person = o.getUser('person');
        if (person) {
          const member = o.getMember('person');
          const display = member && 'displayName' in member ? member.displayName : (person.globalName ?? person.username);
          words.push(quote(`@${display}`));
        } else if (o.getString('who')) words.push(o.getString('who') as string);
        words.push(o.getString('status') ?? '');
        break;
      }
      case 'calendar':
        words.push(o.getString('show') ?? '');
        break;
      case 'ask': {
        const file = o.getString('file');
        if (file) words.push(`file:"${file.replace(/"/g, '')}"`);
        words.push(o.getString('question') ?? '');
        break;
      }
      case 'import': {
        const days = o.getInteger('days');
        if (days !== null) words.push(String(days));
        break;
      }
      case 'forget':
        if (o.getBoolean('confirm')) words.push('confirm');
        break;
      default:
        break;
    }
    const options: Record<string, string | number | boolean | undefined> = {};
    for (const option of o.data[0]?.options ?? []) {
      if (typeof option.value === 'string' || typeof option.value === 'number' || typeof option.value === 'boolean') options[option.name] = option.value;
    }
    return {
      actor: interactionActor(interaction),
      place: { channelId: interaction.channelId, threadId: interaction.channel?.isThread() ? interaction.channelId : null },
      name,
      args: words.filter(Boolean).join(' '),
      options,
    };
  }

  // ------------------------------------------------------------ files

  /** Posts the public message a slash-command import's thread hangs from. */
  async function postAnchor(channelId: string, text: string): Promise<string> {
    const message = (await rest.post(Routes.channelMessages(channelId), { body: { content: text, allowed_mentions: { parse: [] } } })) as { id: string };
    return message.id;
  }

  async function deleteQuietly(channelId: string, messageId: string): Promise<void> {
    await rest.delete(Routes.channelMessage(channelId, messageId)).catch((err: unknown) => log.debug({ err }, 'could not delete the import notice'));
  }

  async function importAttachment(interaction: ChatInputCommandInteraction, attachment: { name: string; url: string; size: number }): Promise<void> {
    const actor = interactionActor(interaction);
    const userId = await commands.accountFor(actor);
    let content: Buffer;
    try {
      content = await downloadAttachment(attachment.url, attachment.size, { maxBytes });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await interaction.editReply(`❌ Could not import **${plain(attachment.name)}**: ${err.message}`);
      return;
    }
    const inThread = Boolean(interaction.channel?.isThread());
    const anchor =
      interaction.inGuild() && !inThread
        ? await postAnchor(interaction.channelId, `📥 <@${actor.userId}> shared **${plain(attachment.name)}**: the results follow in this thread.`)
        : null;
    const place: DiscordIngestPlace = { guildId: interaction.guildId, channelId: interaction.channelId, anchorMessageId: anchor };
    const outcome = await ingestFromDiscord(services, deps.queue, rest, { userId, fileName: attachment.name, content, place });
    if (outcome.kind !== 'queued' && anchor) await deleteQuietly(interaction.channelId, anchor);
    if (outcome.kind === 'refused') {
      await interaction.editReply(`❌ Could not import **${plain(attachment.name)}**: ${outcome.reason}`);
    } else if (outcome.kind === 'duplicate') {
      await interaction.editReply(duplicateText(outcome.result));
    } else {
      const n = outcome.result.file.message_count ?? 0;
      await interaction.editReply(`📥 **${plain(attachment.name)}** is queued (${n.toLocaleString('en-US')} messages). The results will be posted in <#${outcome.threadId}>.`);
    }
  }

  /** Files in a message that mentions the bot, or in a watched channel. */
  async function importMessageFiles(message: Message, mentioned: boolean): Promise<void> {
    const files = [...message.attachments.values()].filter((a) => !MEDIA.test(a.contentType ?? '')).slice(0, FILES_PER_MESSAGE);
    if (files.length === 0) {
      if (mentioned) {
        await message.reply({
          content: `Share a chat export with \`/${DISCORD_COMMAND_NAME} import file:\` (or attach it to a message that mentions me); \`/${DISCORD_COMMAND_NAME} help\` lists the rest. Answers about your data are private, so they come through the slash command.`,
          allowedMentions: { parse: [], repliedUser: false },
        });
      }
      return;
    }
    if (!(await claimPlatformEvent(services, `discord:message:${message.id}`))) return;
    const actor = actorOf(message.author, message.guildId, message.member?.displayName);
    const userId = await commands.accountFor(actor);
    const inThread = message.channel.isThread();
    const place: DiscordIngestPlace = { guildId: message.guildId, channelId: message.channelId, anchorMessageId: inThread ? null : message.id };
    const problems: string[] = [];
    for (const file of files) {
      try {
        const content = await downloadAttachment(file.url, file.size, { maxBytes });
        const outcome = await ingestFromDiscord(services, deps.queue, rest, { userId, fileName: file.name, content, place });
        if (outcome.kind === 'refused') {
          // In a watched channel, files that are no chat export are none of the bot's business.
          if (mentioned || outcome.status !== 415) problems.push(`❌ **${plain(file.name)}**: ${outcome.reason}`);
        } else if (outcome.kind === 'duplicate' && mentioned) {
          problems.push(duplicateText(outcome.result));
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        problems.push(`❌ **${plain(file.name)}**: ${err.message}`);
      }
    }
    if (problems.length) {
      await message.reply({ content: truncate(problems.join('\n'), 2000), allowedMentions: { parse: [], repliedUser: false } });
    }
  }

  // ------------------------------------------------------------ history import

  /**
   * `/teamsync import days:N`: posts the announcement and starts its thread, then queues the
   * `import-channel-history` job (it reads, reports progress in the thread and takes the messages in).
   */
  async function startImport(interaction: ChatInputCommandInteraction, days: number): Promise<void> {
    const actor = interactionActor(interaction);
    const channelId = interaction.channelId;
    const guildId = interaction.guildId;
    if (!guildId) {
      await interaction.editReply('History imports work in server channels.');
      return;
    }
    if (!deps.queue.enqueueHistoryImport) {
      await interaction.editReply('⚠️ History imports are not available here.');
      return;
    }
    const userId = await commands.accountFor(actor);
    const inThread = Boolean(interaction.channel?.isThread());
    let anchor: string | null = null;
    let threadId = channelId;
    try {
      if (!inThread) {
        anchor = await postAnchor(channelId, `📥 <@${actor.userId}> is importing the last ${days} day(s) of <#${channelId}>: progress and results follow in this thread.`);
        threadId = await ensureMessageThread(rest, channelId, anchor, `TeamSync: last ${days} day(s)`);
      }
    } catch (err) {
      if (!(err instanceof DiscordAPIError) || (err.status !== 403 && err.status !== 404)) throw err;
      await interaction.editReply('⚠️ I cannot post in this channel: give me View Channel, Send Messages, Create Public Threads and Read Message History here, then import again.');
      return;
    }
    const channelName = interaction.channel && 'name' in interaction.channel && interaction.channel.name ? interaction.channel.name : undefined;
    let jobId: string;
    try {
      jobId = await deps.queue.enqueueHistoryImport({ userId, platform: 'discord', workspaceId: guildId, channelId, requesterId: actor.userId, days, anchorId: anchor, channelName });
    } catch (err) {
      log.error({ err }, 'could not queue the history import');
      if (anchor) await deleteQuietly(channelId, anchor);
      await interaction.editReply('⚠️ The import could not be queued; try again in a moment.');
      return;
    }
    log.info({ job_id: jobId, channel: channelId, days }, 'history import queued');
    await interaction.editReply(render(importQueuedReply(days, jobId, `in <#${threadId}>`)));
  }

  // ------------------------------------------------------------ interactions

  async function onChatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    if (interaction.commandName !== DISCORD_COMMAND_NAME) return;
    await interaction.deferReply(ephemeral);
    try {
      const request = requestOf(interaction);
      if (request.name === 'import') {
        const attachment = interaction.options.getAttachment('file');
        if (attachment && interaction.options.getInteger('days') !== null) {
          await interaction.editReply('Give a file or a number of days, not both.');
          return;
        }
        if (attachment) {
          await importAttachment(interaction, attachment);
          return;
        }
      }
      const { reply, followUp } = await commands.run(request);
      if (followUp?.kind === 'import-history') await startImport(interaction, followUp.days);
      else await interaction.editReply(render(reply));
    } catch (err) {
      log.error({ err }, 'discord command failed');
      await interaction.editReply('⚠️ Something went wrong on our side; try again in a moment.').catch(() => undefined);
    }
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== 'file') return interaction.respond([]);
    const identity = await findIdentity(services, { platform: 'discord', workspaceId: interaction.guildId ?? '', userId: interaction.user.id });
    if (!identity) return interaction.respond([]);
    const { items } = await listFiles(services, identity.user_id, { limit: 100, offset: 0 });
    const wanted = String(focused.value).toLowerCase();
    const seen = new Set<string>();
    const choices = items
      .filter((f) => f.file_name.toLowerCase().includes(wanted))
      .filter((f) => !seen.has(f.file_name) && Boolean(seen.add(f.file_name)))
      .slice(0, 25)
      .map((f) => ({ name: truncate(`${f.file_name}${f.status === 'done' ? '' : ` (${f.status})`}`, 100), value: f.file_name.slice(0, 100) }));
    await interaction.respond(choices);
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const actor = interactionActor(interaction);
    if (interaction.customId === FEED_BUTTON_ID) {
      await interaction.deferReply(ephemeral);
      await interaction.editReply(render(await commands.calendarFeed(actor)));
      return;
    }
    if (!interaction.customId.startsWith(DONE_PREFIX)) return;
    const todoId = interaction.customId.slice(DONE_PREFIX.length);
    await interaction.deferReply(ephemeral);
    const { done, reply } = await commands.markTodoDone(actor, todoId);
    if (done) {
      // Strike the button on the shared message, so everyone sees the todo is done.
      const rows = interaction.message.components.map((row) => {
        const json = row.toJSON() as { type: number; components: Array<Record<string, unknown>> };
        return {
          ...json,
          components: json.components.map((c) => (c.custom_id === interaction.customId ? { ...c, disabled: true, style: 3, label: truncate(String(c.label ?? '').replace(/^✓/, '✅'), 80) } : c)),
        };
      });
      await rest
        .patch(Routes.channelMessage(interaction.message.channelId, interaction.message.id), { body: { components: rows } })
        .catch((err: unknown) => log.warn({ err }, 'could not update the todo buttons'));
    }
    await interaction.editReply(render(reply));
  }

  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) track(onChatInput(interaction), 'slash command');
    else if (interaction.isAutocomplete()) track(onAutocomplete(interaction), 'autocomplete');
    else if (interaction.isButton()) track(onButton(interaction), 'button');
  });

  client.on(Events.MessageCreate, (message) => {
    if (message.author.bot || message.webhookId || stopping.signal.aborted) return;
    const mentioned = message.mentions.users.has(botId());
    if (!mentioned && !watched.has(message.channelId)) return;
    track(importMessageFiles(message, mentioned), 'shared file');
  });

  client.on(Events.Error, (err) => log.warn({ err }, 'discord client error'));

  const idle = async () => {
    while (background.size) await Promise.all([...background]);
  };

  return {
    client,
    notifier,
    historyReader,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(token);
      await ready;
      log.info({ user: client.user?.tag, intents: deps.messageContent ? 'with message content' : 'without message content' }, 'Discord bot connected');
    },
    async stop() {
      stopping.abort();
      await idle();
      await client.destroy();
    },
    idle,
  };
}

/** Extra Discord settings a deployment may carry next to `config.discord`. */
/**
 * The bot as configured: null (and one log line) when DISCORD_TOKEN is unset. Needs the opened
 * services and the job queue; call `start()` to connect and pass `notifier` to the job system (or use
 * `discordNotifierFromConfig`, which needs no gateway, when the worker runs elsewhere).
 */
export function discordBotFromConfig(services: ServiceContext, deps: Omit<DiscordBotDeps, 'token' | 'apiUrl'>): DiscordBot | null {
  const discord = services.config.discord;
  if (!discord.token) {
    services.logger.info('Discord bot disabled (DISCORD_TOKEN is not set)');
    return null;
  }
  return createDiscordBot(services, {
    messageContent: discord.messageContent,
    watchChannelIds: discord.watchChannelIds,
    ...deps,
    token: discord.token,
    apiUrl: discord.apiUrl,
  });
}
