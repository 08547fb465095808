/**
 * `teamsync` operator CLI. Each sub-command lives in its own module and registers itself here.
 * Exit codes: 0 ok, 1 failure, 2 bad input or usage.
 */
import { Command, CommanderError } from 'commander';

export type Register = (program: Command) => void;

const registrations: Array<() => Promise<Register>> = [
  () => import('./admin.js').then((m) => m.registerAdmin),
  () => import('./parse.js').then((m) => m.registerParse),
  () => import('./jobs.js').then((m) => m.registerJobs),
  () => import('./discord.js').then((m) => m.registerDiscord),
  () => import('./extract.js').then((m) => m.registerExtract),
];

export async function main(argv: string[]): Promise<number> {
  const program = new Command('teamsync')
    .description('TeamSync operator commands')
    .exitOverride()
    .showHelpAfterError();
  for (const load of registrations) (await load())(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`teamsync: ${(err as Error).message}\n`);
    return 1;
  }
}
