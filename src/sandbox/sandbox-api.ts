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
import { sandboxSlashCommands, slashCommandNamed } from './slash-commands.js';
import { escapeTypedText, type Directory } from './slack-escaping.js';

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

/** Who and what a person can mention: every active user, and the channels they can see. */
function directoryFor(runtime: SandboxRuntime, userId: string): Directory {
  const { fake } = runtime;
  return {
    people: fake
      .users()
      .filter((u) => !u.deleted)
      .map((u) => ({ id: u.id, name: u.name, realName: u.real_name, displayName: u.profile.display_name })),
    channels: fake
      .channels()
      .filter((c) => c.kind === 'public' || (c.kind === 'private' && fake.workspace.isMember(c, userId)))
      .map((c) => ({ id: c.id, name: c.name })),
  };
}

/** Reads the page's state for one person. */
export async function snapshotFor(runtime: SandboxRuntime, userId: string): Promise<SandboxSnapshot> {
  const people = runtime.demoPeople;
  const stored = await runtime.app.services.people.known(
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
      const fields = Object.keys(err.errors).length;
      const message =
        fields > 0
          ? `Slack would not submit this form: ${fields === 1 ? 'one field needs' : `${fields} fields need`} attention.`
          : err.message.replace(/^driver: /, '');
      return refused(422, 'client', message, { errors: err.errors });
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
      const match = /^(\/[a-z0-9_-]+)\s*([\s\S]*)$/i.exec(input.text.trim());
      if (!match) return refused(400, 'invalid', 'A slash command starts with "/", e.g. /asset help');
      const [, typed = '', rest = ''] = match;
      const command = slashCommandNamed(typed);
      if (command === undefined) {
        const known = sandboxSlashCommands.map((c) => c.command).join(', ');
        return refused(422, 'client', `${typed} is not a valid command. This workspace has ${known}.`);
      }
      const text = escapeTypedText(
        rest,
        directoryFor(runtime, input.user),
        command.shouldEscape ? 'command' : 'command_unescaped',
      );
      const result = await driver.slashCommand({
        user: input.user,
        channel: input.channel,
        text,
        command: command.command,
      });
      // What the app received, so the page (and tests) can show how Slack escaped the text.
      return ok({ ...summary(result), sent: { command: command.command, text } });
    }
    case 'message': {
      const input = data as z.infer<typeof bodies.message>;
      const text = escapeTypedText(input.text, directoryFor(runtime, input.user), 'message');
      fake.postUserMessage(input.user, input.channel, text);
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
