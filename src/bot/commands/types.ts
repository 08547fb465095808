/**
 * The platform-neutral command set's contract. A door (Slack, Discord) turns a platform event into
 * a `CommandRequest`, runs it, and renders the `CommandReply` its own way (Block Kit, embeds).
 * Commands never know which platform asked.
 */

/** Who is asking, as the platform knows them. */
export interface PlatformActor {
  platform: 'slack' | 'discord';
  /** Slack team id / Discord guild id ('' for Discord DMs). */
  workspaceId: string;
  /** Slack user id / Discord user snowflake. */
  userId: string;
  displayName?: string;
}

/** Where the command was issued; results meant for the channel go to this thread. */
export interface CommandPlace {
  channelId: string;
  /** The message a thread hangs from (Slack thread_ts / Discord message or thread id). */
  threadId?: string | null;
}

export type CommandName = 'help' | 'link' | 'todos' | 'calendar' | 'ask' | 'import' | 'status' | 'forget';

export interface CommandRequest {
  actor: PlatformActor;
  place: CommandPlace;
  name: CommandName;
  /** The text after the command name (Slack) or the options rendered as text (Discord). */
  args: string;
  /** Typed options when the platform has them (Discord subcommand options). */
  options?: Record<string, string | number | boolean | undefined>;
}

/** A todo as shown in a chat reply. */
export interface TodoLine {
  id: string;
  text: string;
  assignee: string | null;
  priority: 'LOW' | 'MEDIUM' | 'HIGH';
  due_at: string | null;
  status: 'open' | 'done';
}

/** An event as shown in a chat reply (starts_at null = TBD). */
export interface EventLine {
  id: string;
  title: string;
  starts_at: string | null;
  all_day: boolean;
}

export interface SourceLine {
  id: string;
  author: string;
  sent_at: string;
  text: string;
}

/** Building blocks of a reply; each door renders them natively. */
export type ReplyPart =
  | { kind: 'text'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'todos'; todos: TodoLine[]; /** offer a "mark done" button per open todo */ actions: boolean }
  | { kind: 'events'; events: EventLine[]; timeZone: string }
  | { kind: 'sources'; messages: SourceLine[] }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'code'; text: string }
  /** Buttons whose answer depends on who clicks (e.g. their own calendar feed link, shown privately). */
  | ReplyAction;

export interface CommandReply {
  /** private: only the asker sees it (ephemeral); thread: posted in the thread for everyone. */
  visibility: 'private' | 'thread';
  parts: ReplyPart[];
  /** Plain-text rendering for notifications and platforms without rich text. */
  fallbackText: string;
}

/**
 * Work a command hands to the door (history import: the door posts the announcement, queues the
 * `import-channel-history` job and gives the reply naming it).
 */
export interface CommandFollowUp {
  kind: 'import-history';
  days: number;
}

/** A button that asks the bot for something on behalf of whoever clicks it. */
export type ReplyAction = { kind: 'action'; action: 'calendar-feed'; label: string };

/** What running a command gives the door: the reply now and, perhaps, work to start after it. */
export interface CommandResult {
  reply: CommandReply;
  followUp?: CommandFollowUp;
}
