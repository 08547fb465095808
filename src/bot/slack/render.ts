/** Neutral replies -> Slack messages (Block Kit, within Slack's limits: 50 blocks, 3000 characters a section). */
import type { types } from '@slack/bolt';
import { formatWhen, type CommandReply, type ReplyPart, type TodoLine } from '../commands/index.js';

type KnownBlock = types.KnownBlock;

export const TODO_DONE_ACTION = 'todo_done';
export const CALENDAR_FEED_ACTION = 'calendar_feed';

const MAX_BLOCKS = 50;
const MAX_SECTION = 2900;
const PRIORITY: Record<TodoLine['priority'], string> = { HIGH: '🔴 HIGH', MEDIUM: '🟡 MEDIUM', LOW: '🟢 LOW' };

/** Slack's mrkdwn control characters in data we did not write. */
export const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const section = (markdown: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(markdown, MAX_SECTION) } });

export function todoMarkdown(t: TodoLine, timeZone: string): string {
  const body = t.status === 'done' ? `~${escapeMrkdwn(t.text)}~ ✅` : escapeMrkdwn(t.text);
  const meta = [PRIORITY[t.priority]];
  if (t.assignee) meta.push(`👤 ${escapeMrkdwn(t.assignee)}`);
  meta.push(t.due_at ? `📅 due ${formatWhen(t.due_at, false, timeZone)}` : 'no due date');
  return `${body}\n_${meta.join(' · ')}_`;
}

function partBlocks(part: ReplyPart, timeZone: string): KnownBlock[] {
  switch (part.kind) {
    case 'heading':
      return [section(`*${escapeMrkdwn(part.text)}*`)];
    case 'text':
      // Our own texts use Slack's mrkdwn already (`code`, *bold*).
      return chunk(part.text, MAX_SECTION).map(section);
    case 'code':
      return [section('```' + part.text.replace(/```/g, "'''") + '```')];
    case 'todos':
      return part.todos.map((t) => {
        const block: KnownBlock = { type: 'section', text: { type: 'mrkdwn', text: clip(todoMarkdown(t, timeZone), MAX_SECTION) } };
        if (part.actions && t.status === 'open') {
          block.accessory = { type: 'button', action_id: TODO_DONE_ACTION, value: t.id, text: { type: 'plain_text', text: 'Mark done' } };
        }
        return block;
      });
    case 'events': {
      const lines = part.events.map((e) => `• *${e.starts_at ? formatWhen(e.starts_at, e.all_day, part.timeZone) : 'TBD'}* — ${escapeMrkdwn(e.title)}`);
      return chunk(lines.join('\n'), MAX_SECTION).map(section);
    }
    case 'sources':
      return [
        {
          type: 'context',
          elements: part.messages.slice(0, 10).map((m, i) => ({
            type: 'mrkdwn' as const,
            text: clip(`[${i + 1}] *${escapeMrkdwn(m.author)}*, ${m.sent_at.slice(0, 16).replace('T', ' ')}: ${escapeMrkdwn(m.text)}`, 300),
          })),
        },
      ];
    case 'link':
      return [section(`<${part.url}|${escapeMrkdwn(part.label)}>`)];
    case 'action':
      return [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: CALENDAR_FEED_ACTION, value: part.action, text: { type: 'plain_text', text: part.label } }],
        },
      ];
  }
}

function chunk(s: string, n: number): string[] {
  if (s.length <= n) return [s];
  const out: string[] = [];
  let rest = s;
  while (rest.length > n) {
    const cut = rest.lastIndexOf('\n', n) > n / 2 ? rest.lastIndexOf('\n', n) : n;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) out.push(rest);
  return out;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function renderReply(reply: CommandReply, timeZone = 'UTC'): SlackMessage {
  const blocks = reply.parts.flatMap((p) => partBlocks(p, timeZone));
  if (blocks.length > MAX_BLOCKS) {
    blocks.length = MAX_BLOCKS - 1;
    blocks.push(section('_…more than fits in one message._'));
  }
  return { text: clip(reply.fallbackText, 3000), blocks };
}

/** The message's blocks with this todo shown as done and its button gone. */
export function blocksWithTodoDone(blocks: unknown[], todoId: string): unknown[] {
  return blocks.map((b) => {
    const block = b as { type?: string; text?: { type: string; text: string }; accessory?: { action_id?: string; value?: string } };
    if (block.type !== 'section' || block.accessory?.action_id !== TODO_DONE_ACTION || block.accessory.value !== todoId) return b;
    const { accessory: _removed, ...rest } = block;
    void _removed;
    const [first = '', ...more] = (block.text?.text ?? '').split('\n');
    return { ...rest, text: { type: 'mrkdwn', text: [`~${first}~ ✅`, ...more].join('\n') } };
  });
}
