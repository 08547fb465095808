import type { ChatFormat } from './types.js';

/**
 * Why an input could not be read:
 * - `empty`: no bytes (or only whitespace) - 422
 * - `unsupported`: not a chat export this parser knows - 415
 * - `malformed`: looks like a known format but is damaged (truncated zip, bad JSON, no dated line) - 422
 * - `too-large`: over the upload size, zip entry count, uncompressed size or compression ratio - 413
 * - `limit`: nesting depth or line length over the configured limit - 422
 * - `bad-option`: an option passed by the caller is invalid (unknown time zone, format) - 400
 */
export type ChatParseErrorKind = 'empty' | 'unsupported' | 'malformed' | 'too-large' | 'limit' | 'bad-option';

const STATUS: Record<ChatParseErrorKind, number> = {
  empty: 422,
  unsupported: 415,
  malformed: 422,
  'too-large': 413,
  limit: 422,
  'bad-option': 400,
};

/** The one error `parseChat` throws for bad input; `status` is the HTTP status an API should answer. */
export class ChatParseError extends Error {
  readonly kind: ChatParseErrorKind;
  readonly status: number;
  /** The format the input was read as, when it got that far. */
  readonly format: ChatFormat | null;

  constructor(kind: ChatParseErrorKind, message: string, format: ChatFormat | null = null) {
    super(message);
    this.name = 'ChatParseError';
    this.kind = kind;
    this.status = STATUS[kind];
    this.format = format;
  }
}
