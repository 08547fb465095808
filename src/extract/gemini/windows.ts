/**
 * Splits a conversation into windows that fit a token budget. Consecutive windows share a few
 * messages so that an item whose context straddles a boundary is seen whole at least once.
 */
import type { ChatMessage } from '../../chat/types.js';

/** Rough token count used for budgeting: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface PromptLine {
  message: ChatMessage;
  line: string;
  tokens: number;
}

export interface ConversationWindow {
  index: number;
  lines: PromptLine[];
  tokens: number;
}

/**
 * Greedy split: each window takes lines until the next one would exceed `budgetTokens`, then the next
 * window starts `overlap` lines before the end of the previous one. A single oversized line gets a
 * window of its own. Every line lands in at least one window and every window makes progress.
 */
export function splitIntoWindows(lines: PromptLine[], budgetTokens: number, overlap: number): ConversationWindow[] {
  const windows: ConversationWindow[] = [];
  let start = 0;
  while (start < lines.length) {
    let end = start;
    let tokens = 0;
    while (end < lines.length && (end === start || tokens + lines[end]!.tokens <= budgetTokens)) {
      tokens += lines[end]!.tokens;
      end += 1;
    }
    windows.push({ index: windows.length, lines: lines.slice(start, end), tokens });
    if (end >= lines.length) break;
    start = Math.max(end - overlap, start + 1);
  }
  return windows;
}
