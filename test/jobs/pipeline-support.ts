/** Shared pieces of the pipeline and fault tests: chats to upload, accounts, uploads over HTTP, result checks. */
import type { ServiceContext } from '../../src/services/context.js';
import type { TestServer } from '../support/http.js';

/**
 * A WhatsApp export of `messages` lines (at least 3) that yields todos and an event; `tag` makes
 * the bytes unique, since the same bytes from one account are stored once.
 */
export function whatsAppChat(tag: string, messages = 6): Buffer {
  const lines = [
    `14/03/2026, 09:00 - Ana: Kick-off for ${tag}`,
    `14/03/2026, 09:01 - Ben: Ana, please send the budget report by Friday`,
    `14/03/2026, 09:02 - Ana: Team meeting tomorrow at 10:00 to review ${tag}`,
  ];
  for (let i = lines.length; i < messages; i++) {
    const minute = String(3 + (i % 55)).padStart(2, '0');
    const hour = String(9 + Math.floor(i / 55) % 14).padStart(2, '0');
    lines.push(`14/03/2026, ${hour}:${minute} - ${i % 2 ? 'Ben' : 'Ana'}: note ${i} about ${tag}${i % 10 === 0 ? `; Ben, please update the tracker by Monday` : ''}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

export async function account(api: TestServer, username: string): Promise<{ token: string; userId: string }> {
  const password = 'correct horse battery';
  const reg = await api.request('POST', '/api/v1/auth/register', { body: { username, email: `${username}@example.com`, password } });
  if (reg.status !== 201) throw new Error(`register ${username}: ${reg.status} ${reg.text}`);
  return { token: reg.body.access_token as string, userId: reg.body.user.id as string };
}

export async function adminAccount(api: TestServer, services: ServiceContext, username: string): Promise<{ token: string; userId: string }> {
  const { userId } = await account(api, username);
  await services.models.User.update({ role: 'admin' }, { where: { id: userId } });
  const login = await api.request('POST', '/api/v1/auth/login', { body: { username, password: 'correct horse battery' } });
  return { token: login.body.access_token as string, userId };
}

export interface UploadResponse {
  status: number;
  body: { file_id?: string; task_id?: string | null; error?: { code: string; message: string } } | undefined;
}

export async function upload(api: TestServer, token: string, fileName: string, content: Buffer): Promise<UploadResponse> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type: 'text/plain' }), fileName);
  const res = await fetch(`${api.url}/api/v1/agent/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await res.text();
  let body: UploadResponse['body'];
  try {
    body = text ? (JSON.parse(text) as UploadResponse['body']) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

/** What is stored for a file, and whether it is exactly one set (counts on the file match the rows). */
export async function storedResults(services: ServiceContext, fileId: string) {
  const { UploadedFile, StoredMessage, TodoItem, CalendarEvent } = services.models;
  const file = await UploadedFile.findByPk(fileId);
  if (!file) throw new Error(`file ${fileId} is gone`);
  const [messages, todos, events, distinctPositions] = await Promise.all([
    StoredMessage.count({ where: { file_id: fileId } }),
    TodoItem.count({ where: { file_id: fileId } }),
    CalendarEvent.count({ where: { file_id: fileId } }),
    StoredMessage.count({ where: { file_id: fileId }, distinct: true, col: 'position' }),
  ]);
  return {
    status: file.status,
    attempts: file.attempts,
    error: file.error,
    messages,
    todos,
    events,
    oneSet: file.status === 'done' && messages === file.message_count && distinctPositions === messages && todos === file.todo_count && events === file.event_count,
  };
}
