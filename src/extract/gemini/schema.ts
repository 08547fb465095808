/**
 * The JSON shape Gemini must answer with (sent as `responseSchema`) and its TypeScript mirror.
 * Field names are snake_case on the wire; validation maps them to the domain types.
 */
import { Type, type Schema } from '@google/genai';

export interface RawTodo {
  text: string;
  assignee: string | null;
  priority: 'LOW' | 'MEDIUM' | 'HIGH';
  due_at: string | null;
  message_id: string;
}

export interface RawEvent {
  title: string;
  starts_at: string | null;
  ends_at: string | null;
  all_day: boolean;
  message_id: string;
}

export interface RawExtraction {
  todos: RawTodo[];
  events: RawEvent[];
}

const todoSchema: Schema = {
  type: Type.OBJECT,
  properties: {
    text: { type: Type.STRING, description: 'The task, imperative, self-contained.' },
    assignee: { type: Type.STRING, nullable: true, description: 'Person who should do it, as named in the chat; null if nobody.' },
    priority: { type: Type.STRING, format: 'enum', enum: ['LOW', 'MEDIUM', 'HIGH'] },
    due_at: {
      type: Type.STRING,
      nullable: true,
      description: 'Deadline in the chat time zone: YYYY-MM-DD or YYYY-MM-DDTHH:mm; null if none.',
    },
    message_id: { type: Type.STRING, description: 'Id of the message the task comes from, exactly as in [brackets].' },
  },
  required: ['text', 'assignee', 'priority', 'due_at', 'message_id'],
  propertyOrdering: ['text', 'assignee', 'priority', 'due_at', 'message_id'],
};

const eventSchema: Schema = {
  type: Type.OBJECT,
  properties: {
    title: { type: Type.STRING, description: 'Short name of the event.' },
    starts_at: {
      type: Type.STRING,
      nullable: true,
      description: 'Start in the chat time zone: YYYY-MM-DDTHH:mm, or YYYY-MM-DD when all_day; null if not fixed yet.',
    },
    ends_at: { type: Type.STRING, nullable: true, description: 'End, same format as starts_at; null if unknown.' },
    all_day: { type: Type.BOOLEAN },
    message_id: { type: Type.STRING, description: 'Id of the message the event comes from, exactly as in [brackets].' },
  },
  required: ['title', 'starts_at', 'ends_at', 'all_day', 'message_id'],
  propertyOrdering: ['title', 'starts_at', 'ends_at', 'all_day', 'message_id'],
};

export const extractionResponseSchema: Schema = {
  type: Type.OBJECT,
  properties: {
    todos: { type: Type.ARRAY, items: todoSchema },
    events: { type: Type.ARRAY, items: eventSchema },
  },
  required: ['todos', 'events'],
  propertyOrdering: ['todos', 'events'],
};
