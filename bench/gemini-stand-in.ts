/**
 * A local stand-in for the Gemini API for the benches: answers each generateContent request with
 * one todo citing the first message id it was shown, reports token usage the way the API does
 * (prompt tokens estimated from the request size), optionally after a delay like a real model's.
 */
import { createServer } from 'node:http';

export interface GeminiStandIn {
  url: string;
  requests(): number;
  close(): Promise<void>;
}

export async function startGeminiStandIn(options: { delayMs?: number } = {}): Promise<GeminiStandIn> {
  let requests = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests++;
      const firstId = /\[(m[^\]]+)\]/.exec(body)?.[1] ?? 'none';
      const answer = { todos: [{ text: 'Follow up', assignee: null, priority: 'MEDIUM', due_at: null, message_id: firstId }], events: [] };
      const reply = () => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify(answer) }] }, finishReason: 'STOP' }],
            usageMetadata: { promptTokenCount: Math.ceil(body.length / 4), candidatesTokenCount: 40, totalTokenCount: Math.ceil(body.length / 4) + 40 },
          }),
        );
      };
      if (options.delayMs) setTimeout(reply, options.delayMs);
      else reply();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
