/**
 * Reads a labelled raw export (see LABELLING.md): a chat file as a platform writes it, read with
 * the chat parsers, plus a sidecar `<name>.gold.json` holding the chat's zone and the gold labels.
 */
import { parseChat, type ChatFormat } from '../../src/chat/index.js';
import type { ChatMessage } from '../../src/chat/types.js';
import type { GoldEvent, GoldTodo, LabelledConversation } from '../../src/extract/evaluate.js';
import type { Priority } from '../../src/extract/types.js';
import { moment } from './script.js';

/** A message reference: its 1-based position in the parsed conversation, or the parser's message id. */
type MessageRef = number | string;

export interface GoldSidecar {
  title?: string;
  /** IANA zone of the chat: gold times are wall-clock times in it, and zone-less exports are read in it. */
  timeZone: string;
  /** Parser format; detected from the content when absent (giving it checks detection too). */
  format?: ChatFormat;
  /** WebVTT / untimed transcripts: the instant the recording started. */
  startAt?: string;
  /** How many messages the parser must find: a guard against references silently shifting. */
  messageCount?: number;
  todos: Array<{ messages: MessageRef[]; text: string; assignee: string | null; priority: Priority; due: string | null }>;
  events: Array<{ messages: MessageRef[]; title: string; start: string; end: string | null }>;
}

function refs(list: MessageRef[], messages: ChatMessage[], where: string): string[] {
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${where}: an item needs at least one message`);
  return list.map((r) => {
    const m = typeof r === 'number' ? messages[r - 1] : messages.find((x) => x.id === r);
    if (!m) throw new Error(`${where}: no message ${JSON.stringify(r)} (the export has ${messages.length})`);
    return m.id;
  });
}

/** Parses `exportBytes` with the sidecar's settings and resolves its gold labels to message ids. */
export async function readLabelledExport(exportBytes: Buffer, sidecarJson: string, name: string): Promise<LabelledConversation> {
  const gold = JSON.parse(sidecarJson) as GoldSidecar;
  if (!gold.timeZone) throw new Error(`${name}: the gold file needs a timeZone`);
  const conversation = await parseChat(exportBytes, {
    timeZone: gold.timeZone,
    ...(gold.format ? { format: gold.format } : {}),
    ...(gold.startAt ? { startAt: gold.startAt } : {}),
  });
  if (gold.format && conversation.format !== gold.format) throw new Error(`${name}: read as ${conversation.format}, labelled as ${gold.format}`);
  const { messages } = conversation;
  if (gold.messageCount !== undefined && messages.length !== gold.messageCount) {
    throw new Error(`${name}: the parser found ${messages.length} messages, the labels expect ${gold.messageCount}`);
  }
  const zone = gold.timeZone;
  const todos: GoldTodo[] = (gold.todos ?? []).map((t, i) => {
    const where = `${name} todo ${i + 1}`;
    if (!t.text || !['LOW', 'MEDIUM', 'HIGH'].includes(t.priority)) throw new Error(`${where}: bad todo`);
    return { messageIds: refs(t.messages, messages, where), text: t.text, assignee: t.assignee ?? null, priority: t.priority, dueAt: moment(t.due ?? '-', zone, where).at };
  });
  const events: GoldEvent[] = (gold.events ?? []).map((e, i) => {
    const where = `${name} event ${i + 1}`;
    if (!e.title || !e.start) throw new Error(`${where}: bad event`);
    const start = moment(e.start, zone, where);
    return { messageIds: refs(e.messages, messages, where), title: e.title, startsAt: start.at, endsAt: moment(e.end ?? '-', zone, where).at, allDay: start.allDay };
  });
  return { name: gold.title ?? conversation.name ?? name, timeZone: zone, messages, gold: { todos, events } };
}
