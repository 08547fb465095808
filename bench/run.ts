/**
 * `npm run bench [section ...]`: runs the benchmark sections (all by default) and prints their tables.
 * Each section is a module exporting `run(): Promise<void>`.
 */
const sections: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  auth: () => import('./auth.js'),
  gemini: () => import('./gemini.js'),
  discord: () => import('./discord.js'),
  extract: () => import('./extract.js'),
  parse: () => import('./parse.js'),
  pipeline: () => import('./pipeline.js'),
  slack: () => import('./slack.js'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(sections);
for (const name of names) {
  const load = sections[name];
  if (!load) {
    console.error(`unknown bench section "${name}"; known: ${Object.keys(sections).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n## ${name}`);
  await (await load()).run();
}
// Every section has finished and closed what it opened; timers Agenda leaves behind (a finished
// job's lock watchdog waits half the lock lifetime) must not keep the process alive.
process.exit(0);
