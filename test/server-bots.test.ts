/**
 * The whole service with both bots configured, as `npm start` runs it: Slack's signed requests are
 * served on the API's own port at /slack/events, and the Discord bot logs in to the gateway.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { startServer } from '../src/server.js';
import { startFakeSlackApi } from './fakes/slack-api.js';
import { buildSlashCommandBody, buildUrlVerification, postSignedToApp } from './fakes/slack-signing.js';
import { startFakeDiscord } from './fakes/discord.js';

describe('service with the Slack and Discord bots on', () => {
  it('answers Slack on /slack/events and connects to Discord, then stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamsync-bots-'));
    const slackApi = await startFakeSlackApi();
    const discord = await startFakeDiscord({ heartbeatIntervalMs: 1000 });
    const signingSecret = 'slack-signing-secret-for-tests';
    const running = await startServer(
      loadConfig({
        ENVIRONMENT: 'test',
        LOG_LEVEL: 'silent',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
        SLACK_BOT_TOKEN: slackApi.botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: slackApi.url,
        DISCORD_TOKEN: discord.token,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
      }),
    );
    try {
      const events = `${running.url}/slack/events`;
      const challenge = await postSignedToApp(events, JSON.stringify(buildUrlVerification('c-1-2-3-4')), { signingSecret });
      expect(challenge.status).toBe(200);
      expect(await challenge.text()).toContain('c-1-2-3-4');

      const forged = await postSignedToApp(events, JSON.stringify(buildUrlVerification('c-1-2-3-4')), { signingSecret: 'wrong-secret' });
      expect(forged.status).toBe(401);

      const help = await postSignedToApp(events, buildSlashCommandBody({ command: '/teamsync', text: 'help', responseUrl: slackApi.responseUrl() }), { signingSecret });
      expect(help.status).toBe(200);
      const helpText = JSON.stringify(await help.json().catch(() => ({}))) + JSON.stringify(slackApi.responses);
      expect(helpText).toMatch(/todos/);

      // The Discord bot identified on the gateway with the configured token.
      const identify = await discord.waitForGatewayOp(2, 10000);
      expect(JSON.stringify(identify)).toContain(discord.token);

      // The API itself is unchanged by the bots: JSON bodies still parse.
      const reg = await fetch(`${running.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ana', email: 'ana@example.com', password: 'correct horse battery' }),
      });
      expect(reg.status).toBe(201);
    } finally {
      await running.stop();
      await discord.close();
      await slackApi.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
