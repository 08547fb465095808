/**
 * Slack workspace export: users.json and channels.json (groups/mpims/dms too) name things, each
 * channel folder holds one JSON array per UTC day. Channels are read one after another, day files in
 * date order; a message id is `<channel id>/<ts>` so ids stay unique across channels.
 */
import type { ReadContext } from '../collect.js';
import { ChatParseError } from '../errors.js';
import { parseJsonLimited } from '../json/scan.js';
import { slackMessageToChat, slackUserName } from '../slack/messages.js';
import type { SlackNames } from '../slack/markup.js';
import type { ZipArchive } from '../zip/archive.js';

const DAY_FILE = /^([^/]+)\/(\d{4}-\d{2}-\d{2})\.json$/;
const CHANNEL_LISTS = ['channels.json', 'groups.json', 'mpims.json', 'dms.json'];

export interface SlackLayout {
  /** Folder the export sits in inside the zip ('' or 'name/'). */
  root: string;
  /** Channel folder -> its day file entry names, sorted. */
  folders: Map<string, string[]>;
}

/** The Slack layout of a zip, or null when the zip is no Slack export. */
export function slackLayout(names: readonly string[]): SlackLayout | null {
  const meta = names.find((n) => /(?:^|\/)(?:users|channels)\.json$/.test(n));
  const root = meta ? meta.slice(0, meta.lastIndexOf('/') + 1) : '';
  const folders = new Map<string, string[]>();
  for (const name of names) {
    if (!name.startsWith(root)) continue;
    const m = DAY_FILE.exec(name.slice(root.length));
    if (!m) continue;
    const list = folders.get(m[1]!) ?? [];
    list.push(name);
    folders.set(m[1]!, list);
  }
  if (!meta && folders.size === 0) return null;
  for (const list of folders.values()) list.sort();
  return { root, folders: new Map([...folders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** `zip.read`, its failure kept for the `await` (not reported as unhandled while the previous file is parsed). */
function prefetch(zip: ZipArchive, name: string): Promise<Buffer> {
  const read = zip.read(name);
  read.catch(() => {});
  return read;
}

async function readList(zip: ZipArchive, name: string, ctx: ReadContext): Promise<Array<Record<string, unknown>>> {
  if (!zip.names.includes(name)) return [];
  const value = parseJsonLimited(await zip.read(name), ctx.limits.jsonDepth, 'slack-zip');
  if (!Array.isArray(value)) throw new ChatParseError('malformed', `${name} in the Slack export is not a JSON array`, 'slack-zip');
  return value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object');
}

export async function readSlackZip(zip: ZipArchive, layout: SlackLayout, ctx: ReadContext): Promise<void> {
  const users = new Map<string, string>();
  for (const u of await readList(zip, layout.root + 'users.json', ctx)) {
    const name = slackUserName(u);
    if (typeof u.id === 'string' && name) users.set(u.id, name);
  }
  const channelNames = new Map<string, string>();
  const folderIds = new Map<string, string>();
  for (const list of CHANNEL_LISTS) {
    for (const c of await readList(zip, layout.root + list, ctx)) {
      if (typeof c.id !== 'string') continue;
      const folder = typeof c.name === 'string' && c.name ? c.name : c.id;
      channelNames.set(c.id, folder);
      folderIds.set(folder, c.id);
    }
  }
  const names: SlackNames = { user: (id) => users.get(id), channel: (id) => channelNames.get(id) };
  ctx.name = layout.folders.size === 1 ? [...layout.folders.keys()][0]! : null;
  // The next day file is asked for before this one is parsed (its local header is read meanwhile).
  const dayFiles = [...layout.folders].flatMap(([folder, days]) => days.map((day) => ({ folder, day })));
  // A message id is `<channel id>/<ts>`, so a repeated id (a thread broadcast) can only come from the
  // same channel: each channel's `ts`s are remembered while its day files are read and forgotten
  // after its last one. One small set per channel instead of one holding every id of the export,
  // which cost more than converting the messages.
  const prefixOf = (folder: string): string => (folderIds.get(folder) ?? folder) + '/';
  const lastFile = new Map<string, number>();
  dayFiles.forEach(({ folder }, i) => lastFile.set(prefixOf(folder), i));
  const seenBy = new Map<string, Set<string>>();
  let next: Promise<Buffer> | null = dayFiles.length ? prefetch(zip, dayFiles[0]!.day) : null;
  for (let i = 0; i < dayFiles.length; i++) {
    const { folder, day } = dayFiles[i]!;
    const idPrefix = prefixOf(folder);
    let seen = seenBy.get(idPrefix);
    if (seen === undefined) seenBy.set(idPrefix, (seen = new Set()));
    const bytes = await next!;
    next = i + 1 < dayFiles.length ? prefetch(zip, dayFiles[i + 1]!.day) : null;
    const value = parseJsonLimited(bytes, ctx.limits.jsonDepth, 'slack-zip');
    if (!Array.isArray(value)) throw new ChatParseError('malformed', `${day} in the Slack export is not a JSON array`, 'slack-zip');
    for (const raw of value) {
      if (!raw || typeof raw !== 'object') continue;
      const m = slackMessageToChat(raw as Record<string, unknown>, { names, idPrefix, channel: folder });
      if (!m) continue;
      // Keyed by the id without its prefix: the `ts` text it was made of.
      const ts = (raw as { ts?: unknown }).ts;
      const before = seen.size;
      seen.add(typeof ts === 'string' ? ts : m.id.slice(idPrefix.length));
      if (seen.size !== before) ctx.emit(m);
    }
    if (lastFile.get(idPrefix) === i) seenBy.delete(idPrefix);
  }
}
