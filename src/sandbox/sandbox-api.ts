/**
 * The sandbox page's JSON API: what a person does in the page becomes a signed Slack request through
 * the driver (exactly what Slack would send), and what the page shows is read from the fake's state.
 */
import { z } from 'zod';
import {
  FieldValueError,
  SlackClientRefusal,
  SlackDeadlineError,
  SlackRejectedResponseError,
  type AttachedFile,
  type DriverResult,
  type ElementLocation,
  type FieldValue,
} from '@custodian/fake-slack';
import type { SandboxRuntime } from './sandbox-runtime.js';
import { buildSnapshot, type SandboxSnapshot } from './sandbox-state.js';

export interface ApiAnswer {
  status: number;
  body: unknown;
}

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id');
const optionInput = z.object({ text: z.string().max(200), value: z.string().max(2000) });
const attachedFile = z.object({
  name: z.string().min(1).max(255),
  mimetype: z.string().max(100).optional(),
  contentBase64: z.string(),
});
const fieldValue = z.union([
  z.string().max(10_000),
  z.number(),
  z.null(),
  optionInput,
  z.array(z.string().max(2000)).max(100),
  z.array(optionInput).max(100),
  z.array(attachedFile).max(10),
]);
const surface = z.union([
  z.object({ message: z.object({ channel: z.string().min(1), ts: z.string().min(1) }) }),
  z.object({ view: z.string().min(1) }),
]);

const bodies = {
  command: z.object({ user: slackUserId, channel: z.string().min(1), text: z.string().max(4000) }),
  message: z.object({ user: slackUserId, channel: z.string().min(1), text: z.string().min(1).max(4000) }),
  action: z.object({
    user: slackUserId,
    where: surface,
    actionId: z.string().min(1),
    blockId: z.string().min(1),
    /** Buttons are pressed; everything else (selects, overflow, pickers) is picked with a value. */
    press: z.boolean(),
    value: fieldValue.optional(),
  }),
  suggest: z.object({
    user: slackUserId,
    where: surface,
    actionId: z.string().min(1),
    blockId: z.string().min(1),
    query: z.string().max(200),
  }),
  submit: z.object({
    user: slackUserId,
    viewId: z.string().min(1),
    values: z.record(z.string(), fieldValue),
  }),
  close: z.object({ user: slackUserId, viewId: z.string().min(1) }),
  home: z.object({ user: slackUserId }),
  clock: z.object({ days: z.number().int().min(1).max(366) }),
  reset: z.object({}),
};

export type ApiRoute = keyof typeof bodies;

function ok(body: Record<string, unknown> = {}): ApiAnswer {
  return { status: 200, body: { ok: true, ...body } };
}

function refused(
  status: number,
  kind: string,
  error: string,
  extra: Record<string, unknown> = {},
): ApiAnswer {
  return { status, body: { ok: false, kind, error, ...extra } };
}

function toFieldValue(value: z.infer<typeof fieldValue>): FieldValue {
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    typeof value[0] === 'object' &&
    value[0] !== null &&
    'contentBase64' in value[0]
  ) {
    return (value as Array<z.infer<typeof attachedFile>>).map((file): AttachedFile => ({
      name: file.name,
      content: Buffer.from(file.contentBase64, 'base64'),
      ...(file.mimetype === undefined || file.mimetype === '' ? {} : { mimetype: file.mimetype }),
    }));
  }
  return value as FieldValue;
}

function summary(result: DriverResult): Record<string, unknown> {
  return {
    status: result.status,
    durationMs: Math.round(result.durationMs),
    calls: result.calls.map((c) => c.method),
  };
}

function location(
  user: string,
  where: z.infer<typeof surface>,
  actionId: string,
  blockId: string,
): ElementLocation {
  return 'view' in where
    ? { user, actionId, blockId, view: where.view }
    : { user, actionId, blockId, message: { channel: where.message.channel, ts: where.message.ts } };
}

/** Reads the page's state for one person. */
export async function snapshotFor(runtime: SandboxRuntime, userId: string): Promise<SandboxSnapshot> {
  const people = runtime.demoPeople;
  const stored = await runtime.app.database.repositories.people.findMany(
    runtime.fake.teamId,
    people.map((p) => p.id),
  );
  return buildSnapshot({
    fake: runtime.fake,
    userId,
    demoPeople: people,
    stored,
    now: runtime.clock.now(),
    timeZone: runtime.timeZone,
    clockOffsetDays: runtime.clockOffsetDays(),
  });
}

/** Runs one API call; every failure comes back as an answer the page can show, never as a throw. */
export async function handleApiCall(
  runtime: SandboxRuntime,
  route: string,
  raw: unknown,
): Promise<ApiAnswer> {
  if (!(route in bodies)) return refused(404, 'not_found', `no sandbox API ${route}`);
  const parsed = bodies[route as ApiRoute].safeParse(raw ?? {});
  if (!parsed.success) return refused(400, 'invalid', z.prettifyError(parsed.error));
  try {
    return await runtime.exclusive(() => dispatch(runtime, route as ApiRoute, parsed.data));
  } catch (err) {
    if (err instanceof SlackClientRefusal) {
      return refused(422, 'client', err.message.replace(/^driver: /, ''), { errors: err.errors });
    }
    if (err instanceof FieldValueError) return refused(422, 'client', err.message);
    if (err instanceof SlackDeadlineError) {
      return refused(
        504,
        'deadline',
        `Slack would show "${runtime.fake.identity.botName} didn't respond": ${err.message}`,
      );
    }
    if (err instanceof SlackRejectedResponseError) {
      return refused(502, 'rejected', `Slack would not accept the app's answer: ${err.message}`);
    }
    runtime.logger.warn({ err, route }, 'sandbox API call failed');
    return refused(500, 'error', err instanceof Error ? err.message.replace(/^driver: /, '') : String(err));
  } finally {
    runtime.changed();
  }
}

async function dispatch(runtime: SandboxRuntime, route: ApiRoute, data: unknown): Promise<ApiAnswer> {
  const { driver, fake } = runtime;
  switch (route) {
    case 'command': {
      const input = data as z.infer<typeof bodies.command>;
      const text = input.text.trim();
      const match = /^(\/[a-z0-9_-]+)\s*([\s\S]*)$/i.exec(text);
      if (!match) return refused(400, 'invalid', 'A slash command starts with "/", e.g. /asset help');
      const [, command = '', rest = ''] = match;
      if (command.toLowerCase() !== '/asset') {
        return refused(422, 'client', `${command} is not a valid command. This workspace has /asset.`);
      }
      return ok(
        summary(
          await driver.slashCommand({
            user: input.user,
            channel: input.channel,
            text: rest,
            command: '/asset',
          }),
        ),
      );
    }
    case 'message': {
      const input = data as z.infer<typeof bodies.message>;
      fake.postUserMessage(input.user, input.channel, input.text);
      return ok();
    }
    case 'action': {
      const input = data as z.infer<typeof bodies.action>;
      const where = location(input.user, input.where, input.actionId, input.blockId);
      const result = input.press
        ? await driver.pressButton(where)
        : await driver.selectOption({ ...where, value: toFieldValue(input.value ?? null) });
      return ok(summary(result));
    }
    case 'suggest': {
      const input = data as z.infer<typeof bodies.suggest>;
      const where = location(input.user, input.where, input.actionId, input.blockId);
      const result = await driver.suggest({ ...where, value: input.query });
      return ok({ ...summary(result), options: result.options });
    }
    case 'submit': {
      const input = data as z.infer<typeof bodies.submit>;
      const values = Object.fromEntries(Object.entries(input.values).map(([k, v]) => [k, toFieldValue(v)]));
      const result = await driver.submitView({ user: input.user, viewId: input.viewId, values });
      return ok({ ...summary(result), outcome: result.outcome, errors: result.errors ?? {} });
    }
    case 'close': {
      const input = data as z.infer<typeof bodies.close>;
      const result = await driver.closeView({ user: input.user, viewId: input.viewId });
      return ok(result === undefined ? { notified: false } : { notified: true, ...summary(result) });
    }
    case 'home': {
      const input = data as z.infer<typeof bodies.home>;
      return ok(summary(await driver.openHome(input.user)));
    }
    case 'clock': {
      const input = data as z.infer<typeof bodies.clock>;
      const now = runtime.advanceClock(input.days);
      return ok({ now: now.toISOString(), clockOffsetDays: runtime.clockOffsetDays() });
    }
    case 'reset': {
      await runtime.reseed();
      return ok({ now: runtime.clock.now().toISOString() });
    }
  }
}
