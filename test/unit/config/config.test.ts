import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, loadEnvFile } from '../../../src/config/config.js';

const slackEnv = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret',
  IT_CHANNEL_ID: 'C0IT00001',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('without any Slack credentials runs the sandbox with defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'sandbox',
      port: 3000,
      timeZone: 'UTC',
      logLevel: 'info',
      adminUserIds: [],
    });
  });

  it('with credentials runs against Slack, and the alerts channel defaults to the IT channel', () => {
    const config = loadConfig({
      ...slackEnv,
      ADMIN_USER_IDS: 'U01ADMIN1, U01ADMIN2',
      PORT: '8080',
      APP_TIMEZONE: 'Europe/Berlin',
    });
    expect(config.mode).toBe('slack');
    expect(config.slack).toEqual({
      botToken: 'xoxb-1-2-abc',
      signingSecret: 'secret',
      appToken: undefined,
      apiUrl: undefined,
    });
    expect(config.adminUserIds).toEqual(['U01ADMIN1', 'U01ADMIN2']);
    expect(config.port).toBe(8080);
    expect(config.alertsChannelId).toBe('C0IT00001');
  });

  it('lists every missing and invalid variable at once', () => {
    const problems = problemsOf({
      SLACK_APP_TOKEN: 'xap-1',
      PORT: 'eighty',
      APP_TIMEZONE: 'Mars/Base',
      ADMIN_USER_IDS: 'bob',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT must be a whole number between 1 and 65535',
        expect.stringMatching(/^SLACK_BOT_TOKEN is missing/),
        expect.stringMatching(/^SLACK_SIGNING_SECRET is missing/),
        expect.stringMatching(/^IT_CHANNEL_ID is missing/),
        expect.stringMatching(/^SLACK_APP_TOKEN must be an app-level token/),
        expect.stringMatching(/^APP_TIMEZONE must be an IANA time zone/),
        expect.stringMatching(/^ADMIN_USER_IDS must be a comma-separated list/),
      ]),
    );
    expect(problems.length).toBe(7);
  });

  it('when some Slack credentials are set, names the ones that are missing', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is missing/),
      expect.stringMatching(/^IT_CHANNEL_ID is missing/),
    ]);
  });

  it('refuses a token of the wrong kind', () => {
    expect(problemsOf({ ...slackEnv, SLACK_BOT_TOKEN: 'xoxp-user-token' })).toEqual([
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb-',
    ]);
  });

  it('normalises the Web API URL to end with a slash', () => {
    expect(loadConfig({ ...slackEnv, SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slack?.apiUrl).toBe(
      'http://127.0.0.1:9999/api/',
    );
  });
});

describe('loadEnvFile', () => {
  it('reads a .env file without overriding what the environment already sets', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'custodian-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, 'PORT=4100\nIT_CHANNEL_ID="C0FROMFILE"\n# a comment\nLOG_LEVEL=debug\n');
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
    expect(loadEnvFile(file, env).sort()).toEqual(['IT_CHANNEL_ID', 'PORT']);
    expect(env).toEqual({ LOG_LEVEL: 'warn', PORT: '4100', IT_CHANNEL_ID: 'C0FROMFILE' });
    expect(loadConfig(env).port).toBe(4100);
  });

  it('does nothing when there is no file', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadEnvFile('/nonexistent/.env', env)).toEqual([]);
    expect(env).toEqual({});
  });
});
