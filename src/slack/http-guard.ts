/**
 * A guard in front of Bolt's HTTPReceiver for what Bolt 5 gets wrong at its edge:
 * - a correctly signed body that is not an object (`payload=null`, JSON `null`) crashes Bolt's request
 *   handling with an unhandled rejection; refused here with 400;
 * - Bolt refuses timestamps older than five minutes but accepts any in the future; refused here with 401.
 * It reads the body once and hands it to Bolt as `rawBody`, which Bolt uses instead of reading the stream.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../platform/logger.js';

/** Bolt's own default (4 MB); app.ts gives the receiver the same limit. */
export const slackBodyLimit = 4 * 1024 * 1024;
/** How far a request timestamp may differ from our clock, as Bolt allows for the past. */
const maxSkewSeconds = 5 * 60;
const FORM = 'application/x-www-form-urlencoded';

export type SlackRequestCheck =
  | { ok: true }
  | { ok: false; status: 400 | 401; reason: 'timestamp_in_future' | 'invalid_json' | 'not_an_object' };

/**
 * Pure: whether Bolt may see this request. Unsigned requests pass (Bolt refuses them with 401, and answers
 * the unsigned `ssl_check`); signed ones must parse, as Bolt parses them, to a JSON object.
 */
export function checkSlackRequest(input: {
  headers: IncomingMessage['headers'];
  rawBody: string;
  signingSecret: string;
  nowMs: number;
}): SlackRequestCheck {
  const timestamp = Number(header(input.headers, 'x-slack-request-timestamp'));
  if (Number.isFinite(timestamp) && timestamp > Math.floor(input.nowMs / 1000) + maxSkewSeconds) {
    return { ok: false, status: 401, reason: 'timestamp_in_future' };
  }
  const signature = header(input.headers, 'x-slack-signature');
  const signed =
    signature !== undefined &&
    isValidSlackRequest({
      signingSecret: input.signingSecret,
      body: input.rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: input.nowMs,
    });
  if (!signed) return { ok: true };

  // The same branches as Bolt's parseHTTPRequestBody: an exact form content type, else JSON.
  let json: string;
  if (input.headers['content-type'] === FORM) {
    const { payload } = parseQuery(input.rawBody);
    if (typeof payload !== 'string') return { ok: true };
    json = payload;
  } else {
    json = input.rawBody;
  }
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    return { ok: false, status: 400, reason: 'invalid_json' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, status: 400, reason: 'not_an_object' };
  }
  return { ok: true };
}

function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

export interface SlackRequestGuardOptions {
  signingSecret: string;
  /** Paths Bolt receives Slack's requests on (POST only). */
  endpoints: string[];
  logger: Logger;
  bodyLimit?: number;
  /** The real clock, as Bolt uses for the past side; tests may pin it. */
  nowMilliseconds?: () => number;
}

/** Wraps Bolt's request listener: other paths go straight through; Slack's requests are checked first. */
export function guardSlackRequests(
  next: RequestListener,
  options: SlackRequestGuardOptions,
): RequestListener {
  const limit = options.bodyLimit ?? slackBodyLimit;
  const now = options.nowMilliseconds ?? Date.now;
  const logger = options.logger.child({ component: 'slack-http-guard' });

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Synchronous on purpose: Bolt's server turns a throw here (an unknown path) into its 404.
    if (req.method !== 'POST' || !options.endpoints.includes(path)) return next(req, res);

    void (async () => {
      const rawBody = await readBody(req, limit);
      if (rawBody === 'too_large') {
        logger.warn({ limit }, 'refused a Slack request larger than the body limit');
        return refuse(res, 413);
      }
      const check = checkSlackRequest({
        headers: req.headers,
        rawBody: rawBody.toString(),
        signingSecret: options.signingSecret,
        nowMs: now(),
      });
      if (!check.ok) {
        logger.warn(
          { reason: check.reason, status: check.status, contentType: req.headers['content-type'] },
          check.reason === 'timestamp_in_future'
            ? 'refused a Slack request dated more than five minutes in the future'
            : 'refused a signed Slack request with a malformed body',
        );
        return refuse(res, check.status);
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = rawBody;
      next(req, res);
    })().catch((err: unknown) => {
      logger.error({ err }, 'a Slack request failed before reaching Bolt');
      if (!res.headersSent) refuse(res, 500);
      else res.destroy();
    });
  };
}

/** The whole body, or `too_large` once past the limit (the rest is read and dropped so the answer arrives). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? 'too_large' : Buffer.concat(chunks);
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}
