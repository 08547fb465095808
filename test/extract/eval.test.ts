/** Quality gate: the heuristic extractor on the labelled evaluation set (test/eval). */
import { describe, expect, it } from '@jest/globals';
import { evaluate, matchItems, sameAssignee, scoreConversation, summarize } from '../../src/extract/evaluate.js';
import { extractHeuristic } from '../../src/extract/index.js';
import { loadEvalSet, loadHeldOutSet } from '../eval/load.js';
import { EVAL_SETS, readEvalSet } from '../eval/sets.js';

describe('evaluation set', () => {
  const conversations = loadEvalSet();

  it('holds at least 20 labelled conversations of 8-40 messages', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(20);
    for (const c of conversations) {
      expect(c.messages.length).toBeGreaterThanOrEqual(8);
      expect(c.messages.length).toBeLessThanOrEqual(40);
      expect(c.gold.todos.length + c.gold.events.length).toBeGreaterThan(0);
    }
  });

  it('keeps a held-out set of real exports in several formats, every one parsed to its labelled message count', () => {
    const heldOut = loadHeldOutSet();
    expect(heldOut.length).toBeGreaterThanOrEqual(8);
    expect(new Set(heldOut.map((c) => c.name.split('.').pop())).size).toBeGreaterThanOrEqual(4);
    for (const c of heldOut) expect(c.gold.todos.length + c.gold.events.length).toBeGreaterThan(0);
  });

  it('reads every labelled set, each export to its labelled message count (the held-back sets are read, never scored here)', async () => {
    expect(EVAL_SETS.map((set) => set.key)).toEqual(['dev', 'held-out', 'unseen', 'fresh', 'blind', 'blind-2', 'blind-3', 'blind-4']);
    for (const set of EVAL_SETS) {
      const conversations = await readEvalSet(set.dir);
      expect(conversations.length).toBeGreaterThanOrEqual(6);
      for (const c of conversations) expect(c.gold.todos.length + c.gold.events.length).toBeGreaterThan(0);
    }
  });

  it('meets the quality targets on the development set: todo F1 >= 0.75, event F1 >= 0.80, date accuracy >= 0.90', () => {
    const { report } = evaluate(conversations, extractHeuristic);
    expect(report.todos.f1).toBeGreaterThanOrEqual(0.75);
    expect(report.events.f1).toBeGreaterThanOrEqual(0.8);
    expect(report.date.value).toBeGreaterThanOrEqual(0.9);
  });

  it('meets the same targets on the held-out set of real exports', () => {
    const { report } = evaluate(loadHeldOutSet(), extractHeuristic);
    expect(report.todos.f1).toBeGreaterThanOrEqual(0.75);
    expect(report.events.f1).toBeGreaterThanOrEqual(0.8);
    expect(report.date.value).toBeGreaterThanOrEqual(0.9);
  });
});

describe('matching', () => {
  it('pairs only items from the gold item\'s messages, most similar first', () => {
    const predicted = [
      { id: 'a', text: 'Send the deck to the client' },
      { id: 'a', text: 'Book the room' },
      { id: 'b', text: 'Send the deck to the client' },
    ];
    const gold = [
      { ids: ['a'], text: 'Book a meeting room' },
      { ids: ['a'], text: 'Send the client deck' },
    ];
    const m = matchItems(predicted, gold, (p) => p.id, (g) => g.ids, (p) => p.text, (g) => g.text);
    expect(m.pairs.map((p) => [p.predicted.text, p.gold.text])).toEqual([
      ['Send the deck to the client', 'Send the client deck'],
      ['Book the room', 'Book a meeting room'],
    ]);
    expect(m.unmatchedPredicted).toEqual([predicted[2]]);
  });

  it('scores precision, recall, F1 and accuracies over the pairs', () => {
    const source = { messageId: 'm1', author: 'Raj', sentAt: '2026-03-12T14:00:00.000Z', excerpt: 'x' };
    const predicted = {
      todos: [{ text: 'Send the deck', assignee: 'Maya Chen', priority: 'HIGH' as const, dueAt: '2026-03-12T17:00:00.000Z', source, extractor: 'heuristic' as const }],
      events: [],
    };
    const gold = {
      todos: [
        { messageIds: ['m1'], text: 'send the deck to the client', assignee: 'Maya', priority: 'MEDIUM' as const, dueAt: '2026-03-12T17:00:00.000Z' },
        { messageIds: ['m1'], text: 'book the room', assignee: null, priority: 'LOW' as const, dueAt: null },
      ],
      events: [],
    };
    const report = summarize([scoreConversation('n', predicted, gold)]);
    expect(report.todos).toMatchObject({ tp: 1, fp: 0, fn: 1, precision: 1, recall: 0.5 });
    expect(report.todos.f1).toBeCloseTo(2 / 3);
    expect(report.dueDate.value).toBe(1);
    expect(report.assignee.value).toBe(1);
    expect(report.priority.value).toBe(0);
  });

  it('treats a first name and a full name as the same assignee', () => {
    expect(sameAssignee('Maya Chen', 'Maya')).toBe(true);
    expect(sameAssignee('@lucía', 'Lucia')).toBe(true);
    expect(sameAssignee('Maya', null)).toBe(false);
  });
});
