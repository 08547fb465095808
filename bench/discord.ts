/**
 * `npm run bench discord`: time from INTERACTION_CREATE (`/teamsync import file:`) to the results
 * posted in the file's thread, for a 1,000-message export, with the real discord.js client against
 * the fake Discord, SQLite and the embedded job system (worker in the same process). Each run sends
 * a different export (the same bytes twice would be recognised and not processed again).
 */
import { startDiscordRig } from '../test/bot/discord-support.js';
import { median, teamExport } from './team-export.js';

const RUNS = Number(process.env.BENCH_DISCORD_RUNS ?? 20);
const MESSAGES = 1000;
export async function run(): Promise<void> {
  const rig = await startDiscordRig({ jobs: 'agenda' });
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS + 1; i++) {
      const attachment = rig.fake.addAttachment({ filename: `team-${i}.txt`, content: teamExport(i, MESSAGES), contentType: 'text/plain', ephemeral: true });
      const started = performance.now();
      rig.fake.sendChatInputCommand({ name: 'teamsync', subcommand: 'import', attachments: { file: attachment } });
      await rig.fake.waitForRequest(
        'POST',
        /^\/channels\/\d+\/messages$/,
        60_000,
        (r) => r.status === 200 && String((r.body as { content?: string } | undefined)?.content ?? '').includes(`✅ team-${i}.txt`),
      );
      // The first run warms up the caches and the JIT.
      if (i > 0) times.push(performance.now() - started);
    }
  } finally {
    await rig.close();
  }
  console.log(`| export | runs | median ms | min ms | max ms |`);
  console.log(`|---|---|---|---|---|`);
  console.log(`| ${MESSAGES} messages (transcript), embedded jobs on SQLite | ${times.length} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)} | ${Math.max(...times).toFixed(0)} |`);
}
