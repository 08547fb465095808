export { extractHeuristic } from './extract.js';
export { dedupe, dedupeEvents, dedupeTodos } from './dedupe.js';
export { findDates, toInstant } from './dates.js';
export type { DateMention, LocalDate, LocalTime, ResolvedMoment } from './dates.js';
export { priorityOf } from './priority.js';
export { textSimilarity, contentWords } from './similarity.js';
