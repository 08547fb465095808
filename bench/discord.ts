/**
 * `npm run bench discord`: time from INTERACTION_CREATE (`/teamsync import file:`) to the results
 * posted in the file's thread, for a 1,000-message export, with the real discord.js client against
 * the fake Discord, SQLite and the embedded job system (worker in the same process). Each run sends
 * a different export (the same bytes twice would be recognised and not processed again).
 */
import { startDiscordRig } from '../test/bot/discord-support.js';

const RUNS = Number(process.env.BENCH_DISCORD_RUNS ?? 20);
const MESSAGES = 1000;
const PEOPLE = ['Alice', 'Bob', 'Carol', 'Dev', 'Eli'];
const LINES = [
  'please send the budget report by Friday',
  'ok, will do',
  'the launch meeting is on 2030-03-20 at 10:00',
  'can you review the design doc tomorrow?',
  'thanks!',
  'we should plan a team dinner sometime',
  'I will update the roadmap',
];

function exportOf(run: number): Buffer {
  const start = Date.UTC(2030, 2, 1, 9, 0);
  const lines: string[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const at = new Date(start + i * 60_000).toISOString();
    lines.push(`[${at.slice(0, 10)} ${at.slice(11, 16)}] ${PEOPLE[i % PEOPLE.length]}: ${LINES[(i + run) % LINES.length]} (#${run}.${i})`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function run(): Promise<void> {
  const rig = await startDiscordRig({ jobs: 'agenda' });
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS + 1; i++) {
      const attachment = rig.fake.addAttachment({ filename: `team-${i}.txt`, content: exportOf(i), contentType: 'text/plain', ephemeral: true });
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
