/**
 * Gemini cost of extracting a 10,000-message export: calls and tokens on the first run and on a
 * re-run of the same content (served from the result cache). A local stand-in for the Gemini API
 * answers each window by citing the first message it was shown, and reports token usage the way
 * the API does (prompt tokens estimated from the request size).
 */
import { createServer } from 'node:http';
import { measureGeminiUsage, syntheticConversation } from '../src/extract/gemini/index.js';

export async function run(): Promise<void> {
  let requests = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests++;
      const firstId = /\[(m[^\]]+)\]/.exec(body)?.[1] ?? 'none';
      const answer = { todos: [{ text: 'Follow up', assignee: null, priority: 'MEDIUM', due_at: null, message_id: firstId }], events: [] };
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify(answer) }] }, finishReason: 'STOP' }],
          usageMetadata: { promptTokenCount: Math.ceil(body.length / 4), candidatesTokenCount: 40, totalTokenCount: Math.ceil(body.length / 4) + 40 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  try {
    const report = await measureGeminiUsage({
      baseUrl: `http://127.0.0.1:${port}`,
      messages: syntheticConversation(10_000),
      settings: { timeZone: 'Europe/Berlin' },
    });
    console.log('| run (10,000 messages) | calls | windows | prompt tokens | output tokens | cache hits | ms |\n| --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, s] of [['first run', report.cold], ['same file again (cached)', report.cached]] as const) {
      console.log(`| ${name} | ${s.calls} | ${s.windows} | ${s.promptTokens} | ${s.outputTokens} | ${s.cacheHits} | ${s.ms} |`);
    }
    console.log(`(requests seen by the stand-in API: ${requests})`);
  } finally {
    server.close();
  }
}
