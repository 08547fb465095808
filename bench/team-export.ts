/** Inputs and arithmetic the bot benchmarks share: a generated team transcript and the median. */
const PEOPLE = ['Alice', 'Bob', 'Carol', 'Dev', 'Eli'];
const LINES = [
  'please send the budget report by Friday',
  'ok, will do',
  'the launch meeting is on 2030-03-20 at 10:00',
  'can you review the design doc tomorrow?',
  'thanks!',
  'we should plan a team dinner sometime',
  'I will update the roadmap',
];

/** A plain transcript of `messages` lines, one a minute; `run` makes each export's bytes unique. */
export function teamExport(run: number, messages: number): Buffer {
  const start = Date.UTC(2030, 2, 1, 9, 0);
  const lines: string[] = [];
  for (let i = 0; i < messages; i++) {
    const at = new Date(start + i * 60_000).toISOString();
    lines.push(`[${at.slice(0, 10)} ${at.slice(11, 16)}] ${PEOPLE[i % PEOPLE.length]}: ${LINES[(i + run) % LINES.length]} (#${run}.${i})`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
