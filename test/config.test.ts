import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEFAULT_SECRET_KEY, loadConfig } from '../config/index.js';

describe('configuration', () => {
  it('has working embedded defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      environment: 'development',
      port: 8000,
      databaseUrl: 'sqlite:./data/teamsync.sqlite',
      accessTokenMinutes: 30,
      secretKey: DEFAULT_SECRET_KEY,
      defaultTimeZone: 'UTC',
      limits: { uploadBytes: 50 * 1024 * 1024 },
    });
    expect(c.jobs.url).toBeUndefined();
    expect(c.gemini.apiKey).toBeUndefined();
  });

  it('names the variable when a value is invalid', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DEFAULT_TIMEZONE: 'Mars/Olympus' })).toThrow(/DEFAULT_TIMEZONE: must be an IANA time zone/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'chatty' })).toThrow(ConfigError);
  });

  it('refuses to start in production with a missing, default or short SECRET_KEY', () => {
    expect(() => loadConfig({ ENVIRONMENT: 'production' })).toThrow(/SECRET_KEY/);
    expect(() => loadConfig({ ENVIRONMENT: 'production', SECRET_KEY: DEFAULT_SECRET_KEY })).toThrow(/SECRET_KEY/);
    expect(() => loadConfig({ ENVIRONMENT: 'production', SECRET_KEY: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY/);
  });

  it('warns loudly about SQLite in production', () => {
    const c = loadConfig({ ENVIRONMENT: 'production', SECRET_KEY: 'k'.repeat(40) });
    expect(c.warnings.join('\n')).toMatch(/PRODUCTION on SQLite/);
    const pg = loadConfig({ ENVIRONMENT: 'production', SECRET_KEY: 'k'.repeat(40), DATABASE_URL: 'postgres://db/app' });
    expect(pg.warnings).toEqual([]);
  });

  it('reads lists and booleans', () => {
    const c = loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example', RUN_WORKER: 'false' });
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.jobs.runWorker).toBe(false);
  });
});
