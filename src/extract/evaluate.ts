/**
 * Measures extracted items against gold labels: items are paired when they come from one of the
 * gold item's messages and their text is similar; then precision, recall and F1 per kind, and
 * due-date, event-date, priority and assignee accuracy over the pairs.
 */
import type { ChatMessage, ExtractedEvent, ExtractedTodo, ExtractionResult, Priority } from './types.js';
import { textSimilarity } from './heuristic/similarity.js';

export interface GoldTodo {
  /** First: where a labeller points; others: where the same todo is also stated. */
  messageIds: string[];
  text: string;
  assignee: string | null;
  priority: Priority;
  dueAt: string | null;
}

export interface GoldEvent {
  messageIds: string[];
  title: string;
  startsAt: string | null;
  endsAt: string | null;
  allDay: boolean;
}

export interface LabelledConversation {
  name: string;
  timeZone: string;
  messages: ChatMessage[];
  gold: { todos: GoldTodo[]; events: GoldEvent[] };
}

export interface Pair<P, G> {
  predicted: P;
  gold: G;
  similarity: number;
}

export interface Matching<P, G> {
  pairs: Array<Pair<P, G>>;
  unmatchedPredicted: P[];
  unmatchedGold: G[];
}

/** Below this similarity two items from the same message pair only when each is alone there. */
export const MATCH_THRESHOLD = 0.3;

/**
 * One-to-one pairing, most similar first. A prediction may pair with a gold item when it comes
 * from one of the gold item's messages and either the texts are similar (>= MATCH_THRESHOLD) or
 * the two are the only candidates for each other.
 */
export function matchItems<P, G>(
  predicted: P[],
  gold: G[],
  predictedSource: (p: P) => string,
  goldSources: (g: G) => string[],
  predictedText: (p: P) => string,
  goldText: (g: G) => string,
): Matching<P, G> {
  const candidates: Array<{ p: number; g: number; similarity: number }> = [];
  const byPredicted = new Map<number, number>();
  const byGold = new Map<number, number>();
  predicted.forEach((p, pi) => {
    gold.forEach((g, gi) => {
      if (!goldSources(g).includes(predictedSource(p))) return;
      candidates.push({ p: pi, g: gi, similarity: textSimilarity(predictedText(p), goldText(g)) });
      byPredicted.set(pi, (byPredicted.get(pi) ?? 0) + 1);
      byGold.set(gi, (byGold.get(gi) ?? 0) + 1);
    });
  });
  candidates.sort((a, b) => b.similarity - a.similarity);
  const usedP = new Set<number>();
  const usedG = new Set<number>();
  const pairs: Array<Pair<P, G>> = [];
  for (const c of candidates) {
    if (usedP.has(c.p) || usedG.has(c.g)) continue;
    const alone = byPredicted.get(c.p) === 1 && byGold.get(c.g) === 1;
    if (c.similarity < MATCH_THRESHOLD && !alone) continue;
    usedP.add(c.p);
    usedG.add(c.g);
    pairs.push({ predicted: predicted[c.p]!, gold: gold[c.g]!, similarity: c.similarity });
  }
  return {
    pairs,
    unmatchedPredicted: predicted.filter((_, i) => !usedP.has(i)),
    unmatchedGold: gold.filter((_, i) => !usedG.has(i)),
  };
}

/** Names agree when equal, or when one is the other's first word ("Maya" / "Maya Chen"). */
export function sameAssignee(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const fold = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/^@/, '').trim();
  const x = fold(a);
  const y = fold(b);
  return x === y || x.split(/[\s_]+/)[0] === y || y.split(/[\s_]+/)[0] === x;
}

function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(Date.parse(a) - Date.parse(b)) < 60_000;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface ConversationScore {
  name: string;
  todos: Matching<ExtractedTodo, GoldTodo>;
  events: Matching<ExtractedEvent, GoldEvent>;
}

export function scoreConversation(name: string, predicted: ExtractionResult, gold: LabelledConversation['gold']): ConversationScore {
  return {
    name,
    todos: matchItems(predicted.todos, gold.todos, (p) => p.source.messageId, (g) => g.messageIds, (p) => p.text, (g) => g.text),
    events: matchItems(predicted.events, gold.events, (p) => p.source.messageId, (g) => g.messageIds, (p) => p.title, (g) => g.title),
  };
}

export interface Prf extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export interface Accuracy {
  correct: number;
  total: number;
  value: number;
}

export interface EvaluationReport {
  conversations: number;
  todos: Prf;
  events: Prf;
  dueDate: Accuracy;
  eventDate: Accuracy;
  /** Due dates and event dates together. */
  date: Accuracy;
  priority: Accuracy;
  assignee: Accuracy;
}

function prf(c: Counts): Prf {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

function accuracy(correct: number, total: number): Accuracy {
  return { correct, total, value: total === 0 ? 1 : correct / total };
}

export function summarize(scores: ConversationScore[]): EvaluationReport {
  const todo: Counts = { tp: 0, fp: 0, fn: 0 };
  const event: Counts = { tp: 0, fp: 0, fn: 0 };
  let due = 0;
  let dueN = 0;
  let eventDate = 0;
  let eventN = 0;
  let priority = 0;
  let assignee = 0;
  for (const s of scores) {
    todo.tp += s.todos.pairs.length;
    todo.fp += s.todos.unmatchedPredicted.length;
    todo.fn += s.todos.unmatchedGold.length;
    event.tp += s.events.pairs.length;
    event.fp += s.events.unmatchedPredicted.length;
    event.fn += s.events.unmatchedGold.length;
    for (const { predicted, gold } of s.todos.pairs) {
      dueN += 1;
      if (sameInstant(predicted.dueAt, gold.dueAt)) due += 1;
      if (predicted.priority === gold.priority) priority += 1;
      if (sameAssignee(predicted.assignee, gold.assignee)) assignee += 1;
    }
    for (const { predicted, gold } of s.events.pairs) {
      eventN += 1;
      if (sameInstant(predicted.startsAt, gold.startsAt) && (gold.startsAt === null || predicted.allDay === gold.allDay)) eventDate += 1;
    }
  }
  return {
    conversations: scores.length,
    todos: prf(todo),
    events: prf(event),
    dueDate: accuracy(due, dueN),
    eventDate: accuracy(eventDate, eventN),
    date: accuracy(due + eventDate, dueN + eventN),
    priority: accuracy(priority, dueN),
    assignee: accuracy(assignee, dueN),
  };
}

/** Runs an extractor over labelled conversations and scores it. */
export function evaluate(
  conversations: LabelledConversation[],
  extract: (messages: ChatMessage[], settings: { timeZone: string }) => ExtractionResult,
): { report: EvaluationReport; scores: ConversationScore[] } {
  const scores = conversations.map((c) => scoreConversation(c.name, extract(c.messages, { timeZone: c.timeZone }), c.gold));
  return { report: summarize(scores), scores };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (v: number) => v.toFixed(3);

/** The report as a markdown table. */
export function formatReport(report: EvaluationReport): string {
  const rows = [
    '| measure | value | detail |',
    '| --- | --- | --- |',
    `| todo precision | ${num(report.todos.precision)} | ${report.todos.tp} / ${report.todos.tp + report.todos.fp} |`,
    `| todo recall | ${num(report.todos.recall)} | ${report.todos.tp} / ${report.todos.tp + report.todos.fn} |`,
    `| todo F1 | ${num(report.todos.f1)} | |`,
    `| event precision | ${num(report.events.precision)} | ${report.events.tp} / ${report.events.tp + report.events.fp} |`,
    `| event recall | ${num(report.events.recall)} | ${report.events.tp} / ${report.events.tp + report.events.fn} |`,
    `| event F1 | ${num(report.events.f1)} | |`,
    `| due-date accuracy | ${pct(report.dueDate.value)} | ${report.dueDate.correct} / ${report.dueDate.total} matched todos |`,
    `| event-date accuracy | ${pct(report.eventDate.value)} | ${report.eventDate.correct} / ${report.eventDate.total} matched events |`,
    `| date accuracy (both) | ${pct(report.date.value)} | ${report.date.correct} / ${report.date.total} |`,
    `| priority accuracy | ${pct(report.priority.value)} | ${report.priority.correct} / ${report.priority.total} |`,
    `| assignee accuracy | ${pct(report.assignee.value)} | ${report.assignee.correct} / ${report.assignee.total} |`,
  ];
  return `${report.conversations} conversations\n\n${rows.join('\n')}`;
}
