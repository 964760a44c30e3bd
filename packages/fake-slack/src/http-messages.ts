/** Reading requests and writing answers on the fake's HTTP server: bodies, Slack's argument encodings. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject, JsonValue } from './types.js';
import { JSON_ARGUMENTS } from './web-api.js';

const MAX_BODY_BYTES = 20 * 1024 * 1024;

export function stringOrUndefined(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Form, JSON or multipart arguments, with Slack's JSON-encoded arguments decoded. */
export async function parseArguments(
  body: Buffer,
  contentType: string,
  query: URLSearchParams,
): Promise<{ args: JsonObject; invalidJson: boolean }> {
  const args: JsonObject = Object.fromEntries(query.entries());
  let invalidJson = false;
  if (contentType.includes('application/json')) {
    if (body.length > 0) {
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8'));
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
          Object.assign(args, parsed);
        else invalidJson = true;
      } catch {
        invalidJson = true;
      }
    }
  } else if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') args[key] = value;
    }
  } else if (body.length > 0) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) args[key] = value;
  }
  for (const key of JSON_ARGUMENTS) {
    const value = args[key];
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        args[key] = JSON.parse(value) as JsonValue;
      } catch {
        // Left as a string: the method answers the way Slack does for malformed JSON.
      }
    }
  }
  return { args, invalidJson };
}

export function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: JsonValue,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
