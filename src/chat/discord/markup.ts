/**
 * Discord message markup -> readable text: `<@123>` / `<@!123>` -> `@name`, `<#123>` -> `#name`,
 * `<@&123>` -> `@role`, `<:emoji:123>` -> `:emoji:`, `<t:1710400000:R>` -> ISO time, `<https://x>` -> URL.
 */
export interface DiscordNames {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
  role(id: string): string | undefined;
}

export const NO_DISCORD_NAMES: DiscordNames = { user: () => undefined, channel: () => undefined, role: () => undefined };

const TOKEN = /<(@!?|@&|#|a?:\w+:|t:|)(\d+|https?:\/\/[^\s>]+)(?::[tTdDfFR])?>/g;

export function discordToText(content: string, names: DiscordNames): string {
  if (content.indexOf('<') === -1) return content;
  return content.replace(TOKEN, (all, kind: string, value: string) => {
    if (kind === '') return /^https?:/.test(value) ? value : all;
    if (kind === '@' || kind === '@!') return '@' + (names.user(value) ?? value);
    if (kind === '@&') return '@' + (names.role(value) ?? value);
    if (kind === '#') return '#' + (names.channel(value) ?? value);
    if (kind === 't:') return new Date(Number(value) * 1000).toISOString();
    return kind.replace(/^a?(:\w+:)$/, '$1');
  });
}

/** Message types that are people (or bots) writing; every other type is a service message. */
const NORMAL_TYPES = new Set(['Default', 'Reply', 'ChatInputCommand', 'ContextMenuCommand', '0', '19', '20', '23']);

export function isDiscordSystemType(type: unknown): boolean {
  if (type === undefined || type === null) return false;
  return !NORMAL_TYPES.has(String(type));
}

/** System lines as DiscordChatExporter writes them in TXT/CSV, where no type is recorded. */
export const DCE_SYSTEM_TEXT =
  /^(?:Joined the server\.|Pinned a message\.|Started a thread\.|Added .+ to the group\.|Removed .+ from the group\.|Left the group\.|Started a call.*|Changed the channel name: .*|Changed the channel icon\.|Boosted the server.*)$/;

/** First letters of the texts `DCE_SYSTEM_TEXT` matches: A B C J L P R S. */
const SYSTEM_INITIAL = new Set([65, 66, 67, 74, 76, 80, 82, 83]);

/** `DCE_SYSTEM_TEXT.test(text)`, without running the regex on a text no system text starts like. */
export function isDceSystemText(text: string): boolean {
  return SYSTEM_INITIAL.has(text.charCodeAt(0)) && DCE_SYSTEM_TEXT.test(text);
}

/** File name of an attachment URL or a local (possibly Windows) path. */
export function fileNameOf(urlOrPath: string): string {
  const clean = urlOrPath.split(/[?#]/)[0]!;
  const name = clean.split(/[\\/]/).pop() ?? clean;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
