import { describe, expect, it } from '@jest/globals';
import { buildBm25Index, searchBm25 } from '../../src/answer/bm25.js';
import { foldText, stem, tokenize } from '../../src/answer/tokenize.js';
import { retrieveMessages } from '../../src/answer/retrieve.js';
import type { ChatMessage } from '../../src/chat/types.js';

describe('tokenize', () => {
  it('folds accents and case, drops stop words and punctuation', () => {
    expect(foldText('Réunion À Zürich')).toBe('reunion a zurich');
    expect(tokenize('What is the STATUS of the Café déploiement?!')).toEqual(['status', 'cafe', 'deploi']);
  });

  it('stems plural, -ing, -ed and -ment forms to one term', () => {
    expect(new Set(['meetings', 'meeting', 'meet'].map(stem))).toEqual(new Set(['meet']));
    expect(new Set(['deployment', 'deployed', 'deploys', 'deploying'].map(stem))).toEqual(new Set(['deploy']));
    expect(new Set(['invoice', 'invoices'].map(stem)).size).toBe(1);
    expect(stem('running')).toBe('run');
    expect(stem('status')).toBe('status');
    expect(stem('3pm')).toBe('3pm');
  });
});

describe('BM25', () => {
  const docs = [
    'the deploy to production failed again',
    'lunch at noon?',
    'production deploy is scheduled for friday, production freeze starts thursday',
    'I like the new logo',
    'deploy deploy deploy deploy deploy deploy deploy deploy deploy deploy of the very long message about many other unrelated subjects and words and more words',
  ];
  const index = buildBm25Index(docs);

  it('ranks documents with more and rarer query terms higher', () => {
    const hits = searchBm25(index, 'production deploy', 5);
    // Both terms (docs 0 and 2) beat one term repeated (doc 4); the shorter of the two wins.
    expect(hits.map((h) => h.doc)).toEqual([0, 2, 4]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits.every((h) => h.score > 0)).toBe(true);
  });

  it('saturates term frequency and normalizes by length', () => {
    const only = searchBm25(index, 'deploy', 5);
    // Ten repetitions in a long message do not beat one mention in a short one by much.
    const long = only.find((h) => h.doc === 4)!.score;
    const short = only.find((h) => h.doc === 0)!.score;
    expect(long / short).toBeLessThan(2.5);
  });

  it('gives rare terms more weight than common ones (idf)', () => {
    const [top] = searchBm25(index, 'logo production', 1);
    expect(top!.doc).toBe(3);
  });

  it('matches unknown query terms as prefixes of indexed terms, and returns nothing for no match', () => {
    expect(searchBm25(index, 'sched', 5).map((h) => h.doc)).toEqual([2]);
    expect(searchBm25(index, 'kubernetes', 5)).toEqual([]);
    expect(searchBm25(index, 'the of and', 5)).toEqual([]);
    expect(searchBm25(buildBm25Index([]), 'anything', 5)).toEqual([]);
  });

  it('returns at most k hits', () => {
    expect(searchBm25(index, 'deploy', 2)).toHaveLength(2);
  });

  it('indexes and searches 100,000 messages quickly', () => {
    const words = ['deploy', 'lunch', 'invoice', 'client', 'review', 'roadmap', 'bug', 'fix', 'meeting', 'release', 'budget', 'design'];
    const texts = Array.from({ length: 100_000 }, (_, i) =>
      `message ${i} about the ${words[i % 12]} and the ${words[(i * 7) % 12]} for team ${i % 97}`,
    );
    texts[76_543] = 'the quarterly budget review with Acme moved to Thursday';
    const t0 = performance.now();
    const big = buildBm25Index(texts);
    const built = performance.now() - t0;
    const t1 = performance.now();
    const hits = searchBm25(big, 'Acme quarterly budget', 3);
    const searched = performance.now() - t1;
    expect(hits[0]!.doc).toBe(76_543);
    expect(built).toBeLessThan(5000);
    expect(searched).toBeLessThan(500);
  });
});

describe('retrieveMessages', () => {
  const msg = (id: string, text: string, system = false): ChatMessage => ({
    id,
    sentAt: '2026-03-13T10:00:00Z',
    author: { id: 'u', name: 'Ana' },
    text,
    threadId: null,
    attachments: [],
    system,
  });

  it('skips system messages and weak matches', () => {
    const messages = [msg('1', 'Dara joined the budget channel', true), msg('2', 'budget for Q3 approved'), msg('3', 'approved, thanks')];
    const hits = retrieveMessages(messages, 'Q3 budget', 5, 0.5);
    expect(hits.map((h) => h.message.id)).toEqual(['2']);
  });
});
