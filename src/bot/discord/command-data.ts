/**
 * The `/teamsync` slash command as Discord registers it: one command, one subcommand per neutral
 * command, typed options. File names on `ask` are autocompleted.
 */
import { SlashCommandBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { MAX_IMPORT_DAYS } from '../commands/index.js';

export const DISCORD_COMMAND_NAME = 'teamsync';

/** History imports reach back at most this many days. */
export const MAX_HISTORY_DAYS = MAX_IMPORT_DAYS;

export function teamsyncCommandData(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return new SlashCommandBuilder()
    .setName(DISCORD_COMMAND_NAME)
    .setDescription('Todos, calendar events and answers from your chats')
    .addSubcommand((s) => s.setName('help').setDescription('What TeamSync can do and how to use it'))
    .addSubcommand((s) =>
      s
        .setName('link')
        .setDescription('Link this Discord account to your TeamSync account')
        .addStringOption((o) => o.setName('code').setDescription('A link code from the TeamSync web app or another chat').setMaxLength(100)),
    )
    .addSubcommand((s) =>
      s
        .setName('todos')
        .setDescription('Your todos from the chats you shared')
        .addStringOption((o) =>
          o
            .setName('status')
            .setDescription('Which todos (default: open)')
            .addChoices({ name: 'open', value: 'open' }, { name: 'done', value: 'done' }, { name: 'open and done', value: 'any' }),
        )
        .addStringOption((o) =>
          o
            .setName('who')
            .setDescription('Whose todos (default: everyone\'s)')
            .addChoices({ name: 'mine', value: 'mine' }, { name: 'everyone', value: 'all' }),
        )
        .addUserOption((o) => o.setName('person').setDescription('Only the todos assigned to this person')),
    )
    .addSubcommand((s) =>
      s
        .setName('calendar')
        .setDescription('Upcoming events, undated ones, and your iCalendar feed link')
        .addStringOption((o) =>
          o
            .setName('show')
            .setDescription('Which events (default: both)')
            .addChoices({ name: 'upcoming', value: 'upcoming' }, { name: 'without a date (TBD)', value: 'tbd' }, { name: 'both', value: 'all' }),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('ask')
        .setDescription('Ask a question about your imported chats')
        .addStringOption((o) => o.setName('question').setDescription('What do you want to know?').setRequired(true).setMaxLength(1000))
        .addStringOption((o) => o.setName('file').setDescription('Ask about this file (default: the latest from this channel)').setAutocomplete(true).setMaxLength(100)),
    )
    .addSubcommand((s) =>
      s
        .setName('import')
        .setDescription('Import a chat export, or this channel\'s recent history')
        .addAttachmentOption((o) => o.setName('file').setDescription('A chat export (Slack, Discord, WhatsApp, Telegram, transcript)'))
        .addIntegerOption((o) => o.setName('days').setDescription('Instead of a file: import this channel\'s last N days').setMinValue(1).setMaxValue(MAX_HISTORY_DAYS)),
    )
    .addSubcommand((s) => s.setName('status').setDescription('Your recent files from this channel and how far their processing is'))
    .addSubcommand((s) =>
      s
        .setName('forget')
        .setDescription('Delete your imported chats and everything found in them')
        .addBooleanOption((o) => o.setName('confirm').setDescription('True to delete for good (otherwise you see what would go)')),
    )
    .toJSON();
}
