import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { signSlackRequest } from '@custodian/fake-slack';
import { createLogger } from '../../../src/platform/logger.js';
import { checkSlackRequest, guardSlackRequests } from '../../../src/slack/http-guard.js';

const secret = 'test-signing-secret';
const nowMs = Date.parse('2026-11-03T09:00:00Z');
const nowSec = nowMs / 1000;
const FORM = 'application/x-www-form-urlencoded';

function signed(rawBody: string, contentType = FORM, timestamp = nowSec) {
  return {
    headers: { 'content-type': contentType, ...signSlackRequest(secret, timestamp, rawBody) },
    rawBody,
    signingSecret: secret,
    nowMs,
  };
}

describe('which requests Bolt may see', () => {
  it('refuses a signed body that is not a JSON object with 400', () => {
    for (const [body, type] of [
      ['payload=null', FORM],
      ['payload=%5B%5D', FORM],
      ['payload=42', FORM],
      ['payload=%22text%22', FORM],
      ['null', 'application/json'],
      ['[1]', 'application/json'],
    ]) {
      expect(checkSlackRequest(signed(body!, type))).toEqual({
        ok: false,
        status: 400,
        reason: 'not_an_object',
      });
    }
  });

  it('refuses a signed payload that is not JSON with 400', () => {
    expect(checkSlackRequest(signed('payload=%7Bnot'))).toEqual({
      ok: false,
      status: 400,
      reason: 'invalid_json',
    });
  });

  it('lets through slash commands, interactions and events', () => {
    expect(checkSlackRequest(signed('command=%2Fasset&text=help'))).toEqual({ ok: true });
    expect(checkSlackRequest(signed('payload=%7B%22type%22%3A%22shortcut%22%7D'))).toEqual({ ok: true });
    expect(checkSlackRequest(signed('{"type":"event_callback"}', 'application/json'))).toEqual({ ok: true });
  });

  it('leaves unsigned and wrongly signed requests to Bolt, which refuses them', () => {
    expect(
      checkSlackRequest({
        headers: { 'content-type': FORM },
        rawBody: 'payload=null',
        signingSecret: secret,
        nowMs,
      }),
    ).toEqual({ ok: true });
    const forged = signed('payload=null');
    expect(checkSlackRequest({ ...forged, signingSecret: 'another-secret' })).toEqual({ ok: true });
  });

  it('refuses a timestamp more than five minutes ahead, as Bolt refuses one five minutes old', () => {
    expect(checkSlackRequest(signed('command=%2Fasset', FORM, nowSec + 6 * 60))).toEqual({
      ok: false,
      status: 401,
      reason: 'timestamp_in_future',
    });
    expect(checkSlackRequest(signed('command=%2Fasset', FORM, nowSec + 4 * 60))).toEqual({ ok: true });
    expect(checkSlackRequest(signed('command=%2Fasset', FORM, nowSec + 5 * 60))).toEqual({ ok: true });
  });
});

describe('the guard in front of Bolt', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function start() {
    const lines: Array<{ level: number; msg: string; reason?: string }> = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    const reached: Array<{ path: string | undefined; rawBody: string | undefined }> = [];
    const bolt = (req: IncomingMessage, res: ServerResponse) => {
      const rawBody = (req as IncomingMessage & { rawBody?: Buffer }).rawBody;
      reached.push({ path: req.url, rawBody: rawBody?.toString() });
      res.writeHead(200);
      res.end();
    };
    const listener = guardSlackRequests(bolt, {
      signingSecret: secret,
      endpoints: ['/slack/events'],
      logger: createLogger({ level: 'info', destination }),
      bodyLimit: 64,
      nowMilliseconds: () => nowMs,
    });
    server = createServer(listener);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (body: string, type = FORM, path = '/slack/events') =>
      fetch(`${url}${path}`, { method: 'POST', headers: signed(body, type).headers, body });
    return { url, post, lines, reached };
  }

  it('answers 400 and logs a warning without calling Bolt', async () => {
    const { post, lines, reached } = await start();
    expect((await post('payload=null')).status).toBe(400);
    expect(reached).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        reason: 'not_an_object',
        msg: 'refused a signed Slack request with a malformed body',
      }),
    ]);
  });

  it('hands a good request to Bolt with the body it already read', async () => {
    const { post, reached } = await start();
    expect((await post('command=%2Fasset&text=help')).status).toBe(200);
    expect(reached).toEqual([{ path: '/slack/events', rawBody: 'command=%2Fasset&text=help' }]);
  });

  it('answers 413 past the body limit', async () => {
    const { post, reached } = await start();
    expect((await post(`text=${'x'.repeat(100)}`)).status).toBe(413);
    expect(reached).toEqual([]);
  });

  it('passes other paths and methods straight through', async () => {
    const { url, post, reached } = await start();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await post('payload=null', FORM, '/other')).status).toBe(200);
    expect(reached.map((r) => [r.path, r.rawBody])).toEqual([
      ['/healthz', undefined],
      ['/other', undefined],
    ]);
  });
});
