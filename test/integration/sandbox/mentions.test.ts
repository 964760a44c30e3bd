import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../src/platform/logger.js';
import { demoPeople } from '../../../src/sandbox/demo-data.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/sandbox.js';
import type { SandboxSnapshot } from '../../../src/sandbox/sandbox-state.js';

/**
 * Typed mentions through the sandbox API: the page sends `@sara` as typed and the sandbox escapes it as
 * Slack's client does for a command declared with `should_escape: true`, so the app gets `<@U…|sara>`.
 */

let sandbox: RunningSandbox;
let base: string;
const { leo, ivy, sara, tom } = demoPeople;

async function post(
  route: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function stateOf(userId: string): Promise<SandboxSnapshot> {
  const response = await fetch(`${base}/api/state?user=${userId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SandboxSnapshot;
}

async function general(userId: string): Promise<string> {
  const found = (await stateOf(userId)).conversations.find((c) => c.name === 'general');
  if (!found) throw new Error(`${userId} cannot see #general`);
  return found.id;
}

/** Sends a command as typed in the composer; returns what the app received and the reply it showed. */
async function typeCommand(userId: string, text: string) {
  const channel = await general(userId);
  const answer = await post('command', { user: userId, channel, text });
  expect(answer).toMatchObject({ status: 200, body: { ok: true } });
  const reply = (await stateOf(userId)).messages[channel]?.at(-1);
  expect(reply).toMatchObject({ fromApp: true, ephemeral: true });
  const sent = answer.body.sent as { command: string; text: string };
  return { sent, reply: JSON.stringify([reply?.text, reply?.blocks]) };
}

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    allowDownload: false,
    env: {},
  });
  base = sandbox.url;
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('typed mentions in the sandbox', () => {
  it('/asset find @sara reaches the app as an escaped mention and lists what Sara holds', async () => {
    const { sent, reply } = await typeCommand(leo.id, '/asset find @sara');
    expect(sent).toEqual({ command: '/asset', text: `find <@${sara.id}|sara>` });
    for (const tag of ['MON-002', 'MON-003', 'LIC-001']) expect(reply).toContain(tag);
    expect(reply).not.toContain('LAP-002');
  });

  it('a full name picked from the people list is the same mention; an unknown @word stays text', async () => {
    const byName = await typeCommand(leo.id, '/asset find @Tom Becker');
    expect(byName.sent.text).toBe(`find <@${tom.id}|tom>`);
    expect(byName.reply).toContain('LAP-004');
    const unknown = await typeCommand(leo.id, '/asset find @nobody');
    expect(unknown.sent.text).toBe('find @nobody');
  });

  it('/asset transfer <tag> @sara offers the asset to Sara', async () => {
    const { sent, reply } = await typeCommand(leo.id, '/asset transfer LAP-002 @sara she takes over');
    expect(sent.text).toBe(`transfer LAP-002 <@${sara.id}|sara> she takes over`);
    expect(reply).toContain('LAP-002');
    expect(reply).not.toMatch(/I need a tag and a person/);
    const saraState = await stateOf(sara.id);
    const dm = saraState.conversations.find((c) => c.kind === 'app')!;
    const offer = saraState.messages[dm.id]?.find((m) =>
      JSON.stringify(m.blocks).includes('accept_transfer'),
    );
    expect(JSON.stringify(offer)).toContain('LAP-002');
  });

  it('/asset checkout <tag> @tom by IT hands the asset to Tom', async () => {
    const { sent, reply } = await typeCommand(ivy.id, '/asset checkout LAP-001 @tom');
    expect(sent.text).toBe(`checkout LAP-001 <@${tom.id}|tom>`);
    expect(reply).toContain('LAP-001');
    expect(reply).toContain(`checked out to <@${tom.id}>`);
    const tomState = await stateOf(tom.id);
    const dm = tomState.conversations.find((c) => c.kind === 'app')!;
    expect(JSON.stringify(tomState.messages[dm.id])).toContain('LAP-001');
  });

  it('messages typed in a channel carry mentions as Slack messages do', async () => {
    const channel = await general(leo.id);
    const answer = await post('message', { user: leo.id, channel, text: 'thanks @sara & @tom!' });
    expect(answer.body.ok).toBe(true);
    const posted = (await stateOf(sara.id)).messages[channel]?.at(-1);
    expect(posted).toMatchObject({ userId: leo.id, text: `thanks <@${sara.id}> &amp; <@${tom.id}>!` });
  });
});
