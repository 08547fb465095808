/**
 * The one place that reads the environment. Everything else receives a `Config`.
 * Invalid values stop start-up with a message naming the variable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

export const DEFAULT_SECRET_KEY = 'dev-secret-change-me';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const url = z.string().refine((v) => {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}, 'must be a URL');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

/** Each entry: variable name -> schema (with default). Documented in .env.example. */
const schema = z.object({
  ENVIRONMENT: z.enum(['development', 'test', 'production']).optional(),
  NODE_ENV: z.string().optional(),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(0, 65535).default(8000),
  PUBLIC_URL: url.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().min(1).default('sqlite:./data/teamsync.sqlite'),
  SECRET_KEY: optionalString,
  ACCESS_TOKEN_EXPIRE_MINUTES: int(1, 60 * 24 * 7).default(30),
  REFRESH_TOKEN_EXPIRE_DAYS: int(1, 365).default(14),
  PASSWORD_RESET_EXPIRE_MINUTES: int(5, 60 * 24).default(30),
  BCRYPT_ROUNDS: int(4, 15).default(12),
  CORS_ORIGINS: z.string().default(''),
  BODY_LIMIT_BYTES: int(1024).default(1024 * 1024),
  AUTH_RATE_LIMIT_PER_IP: int(1).default(30),
  AUTH_RATE_LIMIT_PER_ACCOUNT: int(1).default(10),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: int(1).default(900),
  DEFAULT_TIMEZONE: timeZone.default('UTC'),
  UPLOAD_MAX_BYTES: int(1).default(50 * 1024 * 1024),
  ZIP_MAX_ENTRIES: int(1).default(20000),
  ZIP_MAX_UNCOMPRESSED_BYTES: int(1).default(1024 * 1024 * 1024),
  ZIP_MAX_RATIO: int(1).default(200),
  JSON_MAX_DEPTH: int(4).default(64),
  MAX_LINE_LENGTH: int(80).default(1024 * 1024),
  GOOGLE_API_KEY: optionalString,
  GEMINI_MODEL: z.string().default('gemini-2.5-flash'),
  GEMINI_BASE_URL: url.optional(),
  GEMINI_CONCURRENCY: int(1, 32).default(4),
  GEMINI_WINDOW_TOKENS: int(500).default(12000),
  JOBS_URL: optionalString,
  MONGODB_URL: optionalString,
  REDIS_URL: optionalString,
  RUN_WORKER: bool.default(true),
  WORKER_CONCURRENCY: int(1, 64).default(4),
  JOB_MAX_RETRIES: int(0, 20).default(3),
  JOB_RETRY_BASE_SECONDS: z.coerce.number().min(0).default(60),
  JOB_TIMEOUT_SECONDS: int(1).default(600),
  CLEANUP_DAYS: int(1).default(30),
  CLEANUP_CRON: z.string().default('0 2 * * *'),
  SHUTDOWN_GRACE_SECONDS: int(0).default(25),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: url.default('https://slack.com/api/'),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_URL: url.default('https://discord.com/api'),
  DISCORD_MESSAGE_CONTENT: bool.default(false),
  DISCORD_WATCH_CHANNELS: z.string().default(''),
});

export type Environment = 'development' | 'test' | 'production';

export interface Config {
  environment: Environment;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: string;
  databaseUrl: string;
  secretKey: string;
  accessTokenMinutes: number;
  refreshTokenDays: number;
  passwordResetMinutes: number;
  bcryptRounds: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  authRateLimit: { perIp: number; perAccount: number; windowSeconds: number };
  defaultTimeZone: string;
  limits: {
    uploadBytes: number;
    zipEntries: number;
    zipUncompressedBytes: number;
    zipRatio: number;
    jsonDepth: number;
    lineLength: number;
  };
  gemini: { apiKey?: string; model: string; baseUrl?: string; concurrency: number; windowTokens: number };
  jobs: {
    url?: string;
    mongodbUrl?: string;
    redisUrl?: string;
    runWorker: boolean;
    concurrency: number;
    maxRetries: number;
    retryBaseSeconds: number;
    timeoutSeconds: number;
    cleanupDays: number;
    cleanupCron: string;
    shutdownGraceSeconds: number;
  };
  slack: { botToken?: string; signingSecret?: string; appToken?: string; apiUrl: string };
  discord: {
    token?: string;
    applicationId?: string;
    guildId?: string;
    apiUrl: string;
    /** The privileged Message Content intent is enabled for the app. */
    messageContent: boolean;
    /** With messageContent: channels whose shared files are imported without a mention. */
    watchChannelIds: string[];
  };
  /** Human-readable warnings found while loading (e.g. SQLite in production). */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads KEY=value pairs from a .env file; real environment variables win. */
export function readDotenv(path = '.env'): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseDotenv(readFileSync(path));
}

export function loadConfig(
  env: Record<string, string | undefined> = { ...readDotenv(), ...process.env },
): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const environment: Environment =
    e.ENVIRONMENT ?? (e.NODE_ENV === 'production' ? 'production' : e.NODE_ENV === 'test' ? 'test' : 'development');
  const warnings: string[] = [];
  if (environment === 'production') {
    if (!e.SECRET_KEY || e.SECRET_KEY === DEFAULT_SECRET_KEY) {
      throw new ConfigError('SECRET_KEY: must be set to a secret of your own in production (ENVIRONMENT=production)');
    }
    if (e.SECRET_KEY.length < 32) {
      throw new ConfigError('SECRET_KEY: must be at least 32 characters in production');
    }
    if (e.DATABASE_URL.startsWith('sqlite')) {
      warnings.push(
        'DATABASE_URL: running PRODUCTION on SQLite. Use PostgreSQL (DATABASE_URL=postgres://...) for anything but a single small instance.',
      );
    }
  }
  if (!/^(sqlite:|postgres:|postgresql:)/.test(e.DATABASE_URL)) {
    throw new ConfigError('DATABASE_URL: must start with sqlite: or postgres:// (got ' + e.DATABASE_URL.split(':')[0] + ':)');
  }
  if (e.JOBS_URL && !/^(sqlite:|postgres:|postgresql:|redis:|rediss:|mongodb:|mongodb\+srv:)/.test(e.JOBS_URL)) {
    throw new ConfigError('JOBS_URL: must be empty (embedded), postgres://, redis:// or mongodb://');
  }
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new ConfigError('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  return {
    environment,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    secretKey: e.SECRET_KEY ?? DEFAULT_SECRET_KEY,
    accessTokenMinutes: e.ACCESS_TOKEN_EXPIRE_MINUTES,
    refreshTokenDays: e.REFRESH_TOKEN_EXPIRE_DAYS,
    passwordResetMinutes: e.PASSWORD_RESET_EXPIRE_MINUTES,
    bcryptRounds: e.BCRYPT_ROUNDS,
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    authRateLimit: {
      perIp: e.AUTH_RATE_LIMIT_PER_IP,
      perAccount: e.AUTH_RATE_LIMIT_PER_ACCOUNT,
      windowSeconds: e.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    },
    defaultTimeZone: e.DEFAULT_TIMEZONE,
    limits: {
      uploadBytes: e.UPLOAD_MAX_BYTES,
      zipEntries: e.ZIP_MAX_ENTRIES,
      zipUncompressedBytes: e.ZIP_MAX_UNCOMPRESSED_BYTES,
      zipRatio: e.ZIP_MAX_RATIO,
      jsonDepth: e.JSON_MAX_DEPTH,
      lineLength: e.MAX_LINE_LENGTH,
    },
    gemini: {
      apiKey: e.GOOGLE_API_KEY,
      model: e.GEMINI_MODEL,
      baseUrl: e.GEMINI_BASE_URL,
      concurrency: e.GEMINI_CONCURRENCY,
      windowTokens: e.GEMINI_WINDOW_TOKENS,
    },
    jobs: {
      url: e.JOBS_URL,
      mongodbUrl: e.MONGODB_URL,
      redisUrl: e.REDIS_URL,
      runWorker: e.RUN_WORKER,
      concurrency: e.WORKER_CONCURRENCY,
      maxRetries: e.JOB_MAX_RETRIES,
      retryBaseSeconds: e.JOB_RETRY_BASE_SECONDS,
      timeoutSeconds: e.JOB_TIMEOUT_SECONDS,
      cleanupDays: e.CLEANUP_DAYS,
      cleanupCron: e.CLEANUP_CRON,
      shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    discord: {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      guildId: e.DISCORD_GUILD_ID,
      apiUrl: e.DISCORD_API_URL,
      messageContent: e.DISCORD_MESSAGE_CONTENT,
      watchChannelIds: e.DISCORD_WATCH_CHANNELS.split(',').map((s) => s.trim()).filter(Boolean),
    },
    warnings,
  };
}

/** A configuration for tests: embedded defaults plus overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ENVIRONMENT: 'test', LOG_LEVEL: 'silent', BCRYPT_ROUNDS: '4', ...overrides });
}
