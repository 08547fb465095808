/** Bounds applied to untrusted input. Same shape as `config.limits`, so that object can be passed as is. */
export interface ChatLimits {
  /** Largest input accepted, in bytes. */
  uploadBytes: number;
  /** Most entries a zip may list. */
  zipEntries: number;
  /** Most bytes all zip entries may inflate to, together. */
  zipUncompressedBytes: number;
  /** Highest uncompressed/compressed ratio for a zip entry (or the whole archive). */
  zipRatio: number;
  /** Deepest JSON nesting accepted. */
  jsonDepth: number;
  /** Longest line of a text export, in bytes. */
  lineLength: number;
}

/** The defaults of `config/index.ts`. */
export const DEFAULT_CHAT_LIMITS: Readonly<ChatLimits> = Object.freeze({
  uploadBytes: 50 * 1024 * 1024,
  zipEntries: 20000,
  zipUncompressedBytes: 1024 * 1024 * 1024,
  zipRatio: 200,
  jsonDepth: 64,
  lineLength: 1024 * 1024,
});

export function resolveLimits(partial: Partial<ChatLimits> | undefined): ChatLimits {
  const limits = { ...DEFAULT_CHAT_LIMITS };
  for (const [key, value] of Object.entries(partial ?? {})) {
    if (value === undefined) continue;
    if (!(key in limits)) continue;
    limits[key as keyof ChatLimits] = value;
  }
  return limits;
}
