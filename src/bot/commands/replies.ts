/** Building replies: private or in the thread, with their plain-text fallback. */
import { AppError } from '../../services/errors.js';
import { partsText } from './text.js';
import type { CommandReply, ReplyPart } from './types.js';

export function reply(visibility: CommandReply['visibility'], parts: ReplyPart[]): CommandReply {
  return { visibility, parts, fallbackText: partsText(parts) || ' ' };
}

export const privateReply = (...parts: ReplyPart[]): CommandReply => reply('private', parts);
export const privateText = (text: string): CommandReply => privateReply({ kind: 'text', text });

/** A failure as a short private sentence: an AppError says why; anything else stays vague. */
export function errorReply(err: unknown): CommandReply {
  if (err instanceof AppError) return privateText(`⚠️ ${err.message}`);
  return privateText('⚠️ Something went wrong on our side; try again in a moment.');
}
