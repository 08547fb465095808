/**
 * Gemini cost of extracting a 10,000-message export: calls and tokens on the first run and on a
 * re-run of the same content (served from the result cache). A local stand-in for the Gemini API
 * answers each window by citing the first message it was shown, and reports token usage the way
 * the API does (prompt tokens estimated from the request size).
 */
import { measureGeminiUsage, syntheticConversation } from '../src/extract/gemini/index.js';
import { startGeminiStandIn } from './gemini-stand-in.js';

export async function run(): Promise<void> {
  const standIn = await startGeminiStandIn();
  try {
    const report = await measureGeminiUsage({
      baseUrl: standIn.url,
      messages: syntheticConversation(10_000),
      settings: { timeZone: 'Europe/Berlin' },
    });
    console.log('| run (10,000 messages) | calls | windows | prompt tokens | output tokens | cache hits | ms |\n| --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, s] of [['first run', report.cold], ['same file again (cached)', report.cached]] as const) {
      console.log(`| ${name} | ${s.calls} | ${s.windows} | ${s.promptTokens} | ${s.outputTokens} | ${s.cacheHits} | ${s.ms} |`);
    }
    console.log(`(requests seen by the stand-in API: ${standIn.requests()})`);
  } finally {
    await standIn.close();
  }
}
