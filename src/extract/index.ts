/** Public entry of extraction: the heuristic extractor and helpers shared by every extractor. */
export { extractHeuristic } from './heuristic/extract.js';
export { dedupe, dedupeEvents, dedupeTodos } from './heuristic/dedupe.js';
export { findDates, toInstant } from './heuristic/dates.js';
export { priorityOf } from './heuristic/priority.js';
export { textSimilarity } from './heuristic/similarity.js';
export type * from './types.js';
