/**
 * Okapi BM25 over short documents (chat messages). Build once per conversation, query many times.
 * Postings are stored compactly (one typed array for all documents, one for all frequencies, offsets
 * per term) so that 100k messages index in well under a second. Query terms unknown to the index
 * fall back to the indexed terms they prefix ("sched" finds "schedul"), at a discount.
 */
import { tokenize } from './tokenize.js';

export interface Bm25Params {
  k1: number;
  b: number;
}

export interface Bm25Index {
  readonly docCount: number;
  readonly avgLength: number;
  readonly lengths: Uint32Array;
  /** Term -> term number. */
  readonly terms: ReadonlyMap<string, number>;
  /** Postings of term t: docs[offsets[t] .. offsets[t + 1]) with their frequencies in freqs. */
  readonly offsets: Uint32Array;
  readonly docs: Uint32Array;
  readonly freqs: Uint16Array;
  /** Sorted terms, for prefix matching; built on first use. */
  vocabulary?: string[];
}

export interface Bm25Hit {
  doc: number;
  score: number;
}

const DEFAULT_PARAMS: Bm25Params = { k1: 1.2, b: 0.75 };
const PREFIX_WEIGHT = 0.6;
const MAX_PREFIX_EXPANSIONS = 20;

export function buildBm25Index(texts: readonly string[]): Bm25Index {
  const terms = new Map<string, number>();
  const lengths = new Uint32Array(texts.length);
  // (term, doc, freq) for every distinct term of every document, in document order.
  const pairTerm: number[] = [];
  const pairDoc: number[] = [];
  const pairFreq: number[] = [];
  const df: number[] = [];
  // Per term: the last document it was seen in and where that (term, doc) pair sits.
  const lastDoc: number[] = [];
  const lastPair: number[] = [];
  let total = 0;
  for (let doc = 0; doc < texts.length; doc++) {
    const words = tokenize(texts[doc]!);
    lengths[doc] = words.length;
    total += words.length;
    for (const word of words) {
      let id = terms.get(word);
      if (id === undefined) {
        id = terms.size;
        terms.set(word, id);
        df.push(0);
        lastDoc.push(-1);
        lastPair.push(-1);
      }
      if (lastDoc[id] === doc) {
        pairFreq[lastPair[id]!]! += 1;
      } else {
        lastDoc[id] = doc;
        lastPair[id] = pairDoc.length;
        pairTerm.push(id);
        pairDoc.push(doc);
        pairFreq.push(1);
        df[id]! += 1;
      }
    }
  }
  const offsets = new Uint32Array(terms.size + 1);
  for (let t = 0; t < terms.size; t++) offsets[t + 1] = offsets[t]! + df[t]!;
  const fill = offsets.slice(0, terms.size);
  const docs = new Uint32Array(pairDoc.length);
  const freqs = new Uint16Array(pairDoc.length);
  for (let i = 0; i < pairDoc.length; i++) {
    const at = fill[pairTerm[i]!]!++;
    docs[at] = pairDoc[i]!;
    freqs[at] = Math.min(pairFreq[i]!, 0xffff);
  }
  return {
    docCount: texts.length,
    avgLength: texts.length ? total / texts.length : 0,
    lengths,
    terms,
    offsets,
    docs,
    freqs,
  };
}

function prefixExpansions(index: Bm25Index, prefix: string): string[] {
  if (prefix.length < 3) return [];
  const vocab = (index.vocabulary ??= [...index.terms.keys()].sort());
  let lo = 0;
  let hi = vocab.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (vocab[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < vocab.length && out.length < MAX_PREFIX_EXPANSIONS && vocab[i]!.startsWith(prefix); i++) out.push(vocab[i]!);
  return out;
}

/** Best `k` documents for `query`, highest score first (ties: later document first). */
export function searchBm25(index: Bm25Index, query: string, k = 10, params: Bm25Params = DEFAULT_PARAMS): Bm25Hit[] {
  const { k1, b } = params;
  const weights = new Map<number, number>();
  for (const word of tokenize(query)) {
    const id = index.terms.get(word);
    if (id !== undefined) weights.set(id, Math.max(weights.get(id) ?? 0, 1));
    else
      for (const t of prefixExpansions(index, word)) {
        const tid = index.terms.get(t)!;
        weights.set(tid, Math.max(weights.get(tid) ?? 0, PREFIX_WEIGHT));
      }
  }
  if (weights.size === 0) return [];
  const scores = new Float64Array(index.docCount);
  const touched: number[] = [];
  const avg = index.avgLength || 1;
  for (const [term, weight] of weights) {
    const from = index.offsets[term]!;
    const to = index.offsets[term + 1]!;
    const df = to - from;
    const idf = Math.log(1 + (index.docCount - df + 0.5) / (df + 0.5));
    for (let i = from; i < to; i++) {
      const doc = index.docs[i]!;
      const tf = index.freqs[i]!;
      const norm = 1 - b + (b * index.lengths[doc]!) / avg;
      if (scores[doc] === 0) touched.push(doc);
      scores[doc]! += weight * idf * ((tf * (k1 + 1)) / (tf + k1 * norm));
    }
  }
  const hits = touched.map((doc) => ({ doc, score: scores[doc]! }));
  hits.sort((x, y) => y.score - x.score || y.doc - x.doc);
  return hits.slice(0, k);
}
