/**
 * Neutral replies and file summaries -> Discord message bodies (content, embeds, buttons), as raw
 * API JSON so the same body serves an interaction edit (discord.js) and a REST post (a worker).
 *
 * Discord's limits: content 2000 characters; at most 10 embeds and 6000 characters across them;
 * an embed description 4096, title 256, field 256/1024; 5 rows of 5 buttons; a button label 80,
 * a custom id 100 characters.
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIComponentInMessageActionRow,
} from 'discord.js';
import type { CommandReply, EventLine, ReplyPart, SourceLine, TodoLine } from '../commands/types.js';
import { formatWhen } from '../commands/text.js';

export interface DiscordMessageBody {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

export const CONTENT_MAX = 2000;
const DESCRIPTION_MAX = 4096;
const EMBEDS_TOTAL_MAX = 6000;
const EMBEDS_MAX = 10;
const LABEL_MAX = 80;
const BUTTONS_MAX = 25;

const COLORS = { todos: 0x5865f2, events: 0x57f287, sources: 0x99aab5, failed: 0xed4245 } as const;

/** Custom id of a "mark done" button; the handler checks the todo belongs to the clicker. */
export const DONE_PREFIX = 'teamsync:done:';
/** Custom id of the button that answers the clicker with their own calendar feed link. */
export const FEED_BUTTON_ID = 'teamsync:feed';

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Keeps whole lines up to `max` characters and says how many were left out. */
function joinLines(lines: string[], max: number, noun: string): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = truncate(lines[i] as string, 400);
    const rest = lines.length - i;
    const tail = `… and ${rest} more ${noun}`;
    if (used + line.length + 1 + (rest > 1 ? tail.length + 1 : 0) > max) {
      out.push(tail);
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join('\n');
}

const PRIORITY_MARK: Record<TodoLine['priority'], string> = { HIGH: '🔴 HIGH', MEDIUM: '🟡 MEDIUM', LOW: '⚪ LOW' };

/** Escapes the characters Discord markdown would interpret in text taken from a chat. */
export function plain(text: string): string {
  return text.replace(/([\\*_~`|>[\]()])/g, '\\$1').replace(/@(everyone|here)/g, '@\u200b$1');
}

/** The commands write Slack-style `*bold*`; Discord reads single asterisks as italics. */
export function discordMarkdown(text: string): string {
  return text.replace(/(^|[\s(“"'])\*([^*\n]+?)\*(?=$|[\s).,:;!?”"'])/g, '$1**$2**');
}

export function todoLine(todo: TodoLine, index: number, timeZone: string): string {
  const bits = [`**${index}.** ${todo.status === 'done' ? `~~${plain(todo.text)}~~ ✅` : plain(todo.text)}`, PRIORITY_MARK[todo.priority]];
  if (todo.assignee) bits.push(`👤 ${plain(todo.assignee)}`);
  if (todo.due_at) bits.push(`📅 due ${formatWhen(todo.due_at, false, timeZone)}`);
  return bits.join(' · ');
}

export function eventLine(event: EventLine, timeZone: string): string {
  const when = formatWhen(event.starts_at, event.all_day, timeZone);
  return `• **${when}** ${plain(event.title)}`;
}

function sourceLine(s: SourceLine, timeZone: string): string {
  return `> ${truncate(plain(s.text).replace(/\n+/g, ' '), 300)}\n— ${plain(s.author)}, ${formatWhen(s.sent_at, false, timeZone)}`;
}

export function todosEmbed(todos: TodoLine[], timeZone: string, title = `Todos (${todos.length})`): APIEmbed {
  return {
    title,
    color: COLORS.todos,
    description: todos.length ? joinLines(todos.map((t, i) => todoLine(t, i + 1, timeZone)), DESCRIPTION_MAX, 'todos') : 'No todos.',
  };
}

export function eventsEmbed(events: EventLine[], timeZone: string, title = `Events (${events.length})`): APIEmbed {
  return {
    title,
    color: COLORS.events,
    description: events.length ? joinLines(events.map((e) => eventLine(e, timeZone)), DESCRIPTION_MAX, 'events') : 'No events.',
    footer: { text: `Times in ${timeZone}` },
  };
}

export function feedButton(label = '📅 My calendar feed (iCalendar)'): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: FEED_BUTTON_ID, label: truncate(label, LABEL_MAX) };
}

/** One "✓ n. text" button per open todo, numbered like the list, at most 25. */
export function doneButtons(todos: TodoLine[]): APIButtonComponent[] {
  const buttons: APIButtonComponent[] = [];
  todos.forEach((todo, i) => {
    if (todo.status !== 'open' || buttons.length >= BUTTONS_MAX) return;
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      custom_id: `${DONE_PREFIX}${todo.id}`.slice(0, 100),
      label: truncate(`✓ ${i + 1}. ${todo.text}`, LABEL_MAX),
    });
  });
  return buttons;
}

export function rowsOf(buttons: APIButtonComponent[]): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  for (let i = 0; i < buttons.length && rows.length < 5; i += 5) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  }
  return rows;
}

/** Keeps embeds within Discord's count and total size, noting what was cut. */
function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const out: APIEmbed[] = [];
  let total = 0;
  const size = (e: APIEmbed) =>
    (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  for (const embed of embeds.slice(0, EMBEDS_MAX)) {
    let e = embed;
    if (total + size(e) > EMBEDS_TOTAL_MAX) {
      const room = EMBEDS_TOTAL_MAX - total - (e.title?.length ?? 0) - (e.footer?.text.length ?? 0) - 2;
      if (room < 200) break;
      e = { ...e, description: truncate(e.description ?? '', room), fields: undefined };
    }
    out.push(e);
    total += size(e);
  }
  return out;
}

/** Renders a neutral reply: text in the content, lists as embeds, actions as buttons. */
export function renderReply(reply: CommandReply, options: { defaultTimeZone: string }): DiscordMessageBody {
  const text: string[] = [];
  const embeds: APIEmbed[] = [];
  const buttons: APIButtonComponent[] = [];
  const links: APIButtonComponent[] = [];
  for (const part of reply.parts as ReplyPart[]) {
    switch (part.kind) {
      case 'text':
        text.push(discordMarkdown(part.text));
        break;
      case 'heading':
        text.push(`**${part.text.replace(/\*/g, '')}**`);
        break;
      case 'code':
        text.push('```\n' + part.text.replace(/```/g, '`\u200b``') + '\n```');
        break;
      case 'link':
        text.push(`${part.label}: <${part.url}>`);
        if (/^https?:\/\//.test(part.url) && part.url.length <= 512) {
          links.push({ type: ComponentType.Button, style: ButtonStyle.Link, url: part.url, label: truncate(part.label, LABEL_MAX) });
        }
        break;
      case 'todos':
        embeds.push(todosEmbed(part.todos, options.defaultTimeZone));
        if (part.actions) buttons.push(...doneButtons(part.todos));
        break;
      case 'events':
        embeds.push(eventsEmbed(part.events, part.timeZone));
        break;
      case 'sources':
        if (part.messages.length) {
          embeds.push({
            title: 'Sources',
            color: COLORS.sources,
            description: joinLines(part.messages.map((m) => sourceLine(m, options.defaultTimeZone)), DESCRIPTION_MAX, 'messages'),
          });
        }
        break;
      case 'action':
        if (part.action === 'calendar-feed') buttons.push(feedButton(part.label));
        break;
    }
  }
  let content = text.join('\n');
  if (!content && embeds.length === 0) content = reply.fallbackText;
  return {
    content: truncate(content, CONTENT_MAX),
    embeds: fitEmbeds(embeds),
    components: rowsOf([...buttons.slice(0, BUTTONS_MAX - Math.min(links.length, 5)), ...links.slice(0, 5)]),
  };
}
