import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/**
 * The one place that reads process.env. Parsed once at start-up; every missing or invalid variable is
 * reported together so an operator fixes the environment in one go.
 */

const slackUserId = /^[UW][A-Z0-9]{2,}$/;
const slackChannelId = /^[CGD][A-Z0-9]{2,}$/;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^xoxb-/, 'must be a bot token starting with xoxb-')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^xapp-/, 'must be an app-level token starting with xapp-')
      .optional(),
  ),
  SLACK_API_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ message: 'must be an http(s) URL such as https://slack.com/api/' })
      .transform((url) => (url.endsWith('/') ? url : `${url}/`))
      .optional(),
  ),
  MONGODB_URI: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// connection string')
      .optional(),
  ),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a whole number between 1 and 65535' })
      .int({ message: 'must be a whole number between 1 and 65535' })
      .min(1, { message: 'must be a whole number between 1 and 65535' })
      .max(65535, { message: 'must be a whole number between 1 and 65535' })
      .default(3000),
  ),
  ADMIN_USER_IDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      )
      .refine((ids) => ids.every((id) => slackUserId.test(id)), {
        message: 'must be a comma-separated list of Slack user ids such as U012ABCDEF',
      }),
  ),
  IT_CHANNEL_ID: z.preprocess(
    emptyToUndefined,
    z.string().trim().regex(slackChannelId, 'must be a Slack channel id such as C012ABCDEF').optional(),
  ),
  ALERTS_CHANNEL_ID: z.preprocess(
    emptyToUndefined,
    z.string().trim().regex(slackChannelId, 'must be a Slack channel id such as C012ABCDEF').optional(),
  ),
  APP_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .default('UTC')
      .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' }),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  NODE_ENV: optionalString,
});

type Env = z.infer<typeof envSchema>;

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  appToken: string | undefined;
  apiUrl: string | undefined;
}

export interface AppConfig {
  /** `slack` when credentials are present; `sandbox` when none are (local try-out without a workspace). */
  mode: 'slack' | 'sandbox';
  slack: SlackConfig | undefined;
  mongodbUri: string | undefined;
  port: number;
  adminUserIds: string[];
  itChannelId: string | undefined;
  alertsChannelId: string | undefined;
  timeZone: string;
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const present = (value: string | undefined) => value !== undefined && value.trim() !== '';

/**
 * Reads `KEY=value` lines from a `.env` file into `env`, keeping whatever the environment already sets
 * (a shell export wins over the file). Returns the names it set; none when the file does not exist.
 */
export function loadEnvFile(file: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!existsSync(file)) return [];
  const parsed = parseEnv(readFileSync(file, 'utf8'));
  const set: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      problems.push(`${name} ${env[name] === undefined ? 'is missing' : issue.message}`);
    }
  }
  // Slack mode needs all three; say which are missing even when other variables are invalid too.
  const hasAnySlack =
    present(env.SLACK_BOT_TOKEN) || present(env.SLACK_SIGNING_SECRET) || present(env.SLACK_APP_TOKEN);
  if (hasAnySlack) {
    if (!present(env.SLACK_BOT_TOKEN)) problems.push('SLACK_BOT_TOKEN is missing (the bot token, xoxb-...)');
    if (!present(env.SLACK_SIGNING_SECRET)) {
      problems.push('SLACK_SIGNING_SECRET is missing (Basic Information > Signing Secret)');
    }
    if (!present(env.IT_CHANNEL_ID)) {
      problems.push('IT_CHANNEL_ID is missing (the channel where requests go for approval)');
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  return {
    mode: hasAnySlack ? 'slack' : 'sandbox',
    slack: hasAnySlack
      ? {
          botToken: e.SLACK_BOT_TOKEN!,
          signingSecret: e.SLACK_SIGNING_SECRET!,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
        }
      : undefined,
    mongodbUri: e.MONGODB_URI,
    port: e.PORT,
    adminUserIds: e.ADMIN_USER_IDS,
    itChannelId: e.IT_CHANNEL_ID,
    alertsChannelId: e.ALERTS_CHANNEL_ID ?? e.IT_CHANNEL_ID,
    timeZone: e.APP_TIMEZONE,
    logLevel: e.LOG_LEVEL,
  };
}
