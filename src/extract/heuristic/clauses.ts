/** Splitting a message into sentences and telling questions from statements. */

export interface Clause {
  text: string;
  /** Offset of the clause in the message text. */
  index: number;
  question: boolean;
}

const SPLIT = /[.!?]+(?=\s|$)|\n+|;\s+/g;

export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  SPLIT.lastIndex = 0;
  const push = (end: number, terminator: string) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) clauses.push({ text: body, index: start + lead, question: terminator.includes('?') });
  };
  for (let m = SPLIT.exec(text); m; m = SPLIT.exec(text)) {
    // keep abbreviations and numbers whole: "Dr. Kim", "v3.2.0", "Mrs. Alvarez"
    if (m[0] === '.' && /\b(?:dr|mr|mrs|ms|st|vs|etc|approx|no)$/i.test(text.slice(Math.max(0, m.index - 6), m.index))) continue;
    push(m.index, m[0]);
    start = m.index + m[0].length;
  }
  push(text.length, '');
  return clauses;
}

const OPEN_QUESTION = /^(?:(?:so|and|but|also|btw|ok|hey)[,\s]+)*(?:should|shall|do|does|did|is|are|was|were|has|have|had|what|when|where|why|how|which|whose|am|isn'?t|aren'?t|any ?one know|does anyone)\b/i;

/** A question asking for information or an opinion rather than for someone to act. */
export function isOpenQuestion(clause: Clause): boolean {
  return clause.question || OPEN_QUESTION.test(clause.text) || /\b(?:wants? to know|wonder(?:ing)?|asking|not sure) (?:if|whether)\b/i.test(clause.text);
}
