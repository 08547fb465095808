/** How urgent a todo is, read from the words of its message. */
import type { Priority } from '../types.js';

const LOW = /\b(?:whenever|no rush|no hurry|not urgent|nice[- ]to[- ]have|low[- ]priority|when (?:you|i|we) (?:get|have) (?:a )?(?:chance|minute|moment|sec|second|time)|if you have (?:the )?time|at some point|some ?day|eventually|no pressure)\b/i;
const HIGH = /\b(?:urgent(?:ly)?|asap|a\.s\.a\.p|eod|cob|end of (?:the )?day|today|tonight|right (?:away|now)|immediately|critical|blocker|blocking|blocked|top priority|high[- ]priority|priority|p0|p1|emergency|before it'?s too late)\b|!!/i;

export function priorityOf(text: string): Priority {
  if (LOW.test(text)) return 'LOW';
  // "thanks for today", "that's all for today": the day is spoken of, no urgency is set
  text = text.replace(/\b(?:thanks|thank you|cheers|ta|all|it|enough|done|great work|good work|well done)\s+(?:for|from)\s+(?:today|tonight)\b/gi, ' ');
  if (HIGH.test(text)) return 'HIGH';
  return 'MEDIUM';
}
