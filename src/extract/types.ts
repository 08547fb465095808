import type { ChatMessage } from '../chat/types.js';

export type Priority = 'LOW' | 'MEDIUM' | 'HIGH';
export type ExtractorName = 'heuristic' | 'gemini';

/** Where an item came from: the message it was read from. */
export interface Evidence {
  messageId: string;
  author: string;
  sentAt: string;
  excerpt: string;
}

export interface ExtractedTodo {
  text: string;
  assignee: string | null;
  priority: Priority;
  /** ISO instant (UTC) or null. */
  dueAt: string | null;
  source: Evidence;
  extractor: ExtractorName;
}

export interface ExtractedEvent {
  title: string;
  /** ISO instant (UTC); null = TBD (planned but undated). */
  startsAt: string | null;
  endsAt: string | null;
  allDay: boolean;
  source: Evidence;
  extractor: ExtractorName;
}

export interface ExtractionResult {
  todos: ExtractedTodo[];
  events: ExtractedEvent[];
}

export interface ExtractionSettings {
  /** IANA time zone of the chat, used to resolve "tomorrow at 3pm". */
  timeZone: string;
}

export type { ChatMessage };
