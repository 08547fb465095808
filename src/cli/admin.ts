/**
 * Operator commands on the database: `teamsync db migrate`, `teamsync user create`,
 * `teamsync user reset-token`.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { openServices, type Opened } from '../boot.js';
import { createLogger } from '../logger.js';
import { createUser } from '../services/auth.js';
import { AppError } from '../services/errors.js';
import { issueResetToken } from '../services/password-reset.js';
import { publicUser, usernameKey } from '../services/users.js';

async function withServices<T>(migrate: boolean, run: (s: Opened) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const services = await openServices(config, { logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel), migrate });
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function fail(message: string, code = 2): void {
  process.stderr.write(`teamsync: ${message}\n`);
  process.exitCode = code;
}

export function registerAdmin(program: Command): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending schema migrations')
    .action(async () => {
      const { migrate } = await import('../models/migrate.js');
      await withServices(false, async (s) => {
        const applied = await migrate(s.sequelize);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      });
    });

  const user = program.command('user').description('accounts');
  user
    .command('create')
    .description('create an account; the password is read from standard input')
    .requiredOption('--username <name>', 'login name')
    .requiredOption('--email <address>', 'e-mail address')
    .option('--password-stdin', 'read the password from standard input (required)')
    .option('--admin', 'give the account the administrator role')
    .action(async (opts: { username: string; email: string; passwordStdin?: boolean; admin?: boolean }) => {
      if (!opts.passwordStdin) return fail('give --password-stdin and pipe the password in, so it never shows in the process list');
      const password = (await readStdin()).replace(/\r?\n$/, '');
      if (!password) return fail('no password on standard input');
      await withServices(true, async (s) => {
        try {
          const u = await createUser(s, { username: opts.username, email: opts.email, password, role: opts.admin ? 'admin' : 'user' });
          process.stdout.write(JSON.stringify(publicUser(u)) + '\n');
        } catch (err) {
          if (err instanceof AppError) return fail(err.message);
          throw err;
        }
      });
    });
  user
    .command('reset-token')
    .description('issue a single-use password reset token for an account and print it')
    .requiredOption('--username <name>', 'login name')
    .action(async (opts: { username: string }) => {
      await withServices(true, async (s) => {
        const u = await s.models.User.findOne({ where: { username_key: usernameKey(opts.username) } });
        if (!u) return fail(`no account named ${opts.username}`);
        const { token, expiresAt } = await issueResetToken(s, u);
        process.stdout.write(`${token}\n`);
        process.stderr.write(`valid until ${expiresAt.toISOString()}; confirm with POST /api/v1/auth/password-reset/confirm\n`);
      });
    });
}
