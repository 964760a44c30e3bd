/**
 * HTTP routes of the sandbox, served by the app's own HTTP server (Bolt custom routes): the page and
 * its static files under /sandbox, the JSON API under /sandbox/api/*, and a Server-Sent Events stream
 * that tells open pages when something changed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CustomRoute } from '@slack/bolt';
import { handleApiCall, snapshotFor } from './sandbox-api.js';
import type { SandboxRuntime } from './sandbox-runtime.js';

const MAX_BODY_BYTES = 25 * 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The page's files live next to this module in the source tree; the compiled build (dist/) has no
 * copy, so it reads them from the source tree it was built from.
 */
function publicDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'public'), path.resolve(here, '../../../src/sandbox/public')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
  if (found === undefined)
    throw new Error(`sandbox: the page's files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

export interface SandboxRoutes {
  routes: CustomRoute[];
  /** Until attached, the page answers that the sandbox is still starting. */
  attach(runtime: SandboxRuntime): void;
  /** Tells every open page to refresh (coalesced). */
  notify(): void;
  /** Ends the event streams so the HTTP server can close. */
  closeStreams(): void;
}

export function sandboxRoutes(): SandboxRoutes {
  const dir = publicDirectory();
  const files = new Map<string, { type: string; content: Buffer }>();
  for (const name of readdirSync(dir)) {
    const type = contentTypes[path.extname(name)];
    if (type !== undefined) files.set(name, { type, content: readFileSync(path.join(dir, name)) });
  }
  let runtime: SandboxRuntime | undefined;
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  let version = 0;

  const notify = () => {
    if (pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      version += 1;
      for (const stream of streams) stream.write(`event: changed\ndata: ${version}\n\n`);
    }, 30);
  };

  const openStream = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: changed\ndata: ${version}\n\n`);
    streams.add(res);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    if (parts.length === 1 && method === 'GET') {
      const page = files.get('index.html');
      if (page) return send(res, 200, page.type, page.content);
    }
    if (parts[1] === 'assets' && parts.length === 3 && method === 'GET') {
      const file = files.get(parts[2] ?? '');
      if (file) return send(res, 200, file.type, file.content);
      return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    }
    if (parts[1] !== 'api' || parts.length !== 3)
      return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    const route = parts[2] ?? '';
    if (runtime === undefined)
      return sendJson(res, 503, { ok: false, kind: 'starting', error: 'The sandbox is still starting.' });
    if (route === 'events' && method === 'GET') return openStream(req, res);
    if (route === 'state' && method === 'GET') {
      const user = url.searchParams.get('user') ?? runtime.demoPeople[0]?.id ?? '';
      if (runtime.fake.user(user) === undefined)
        return sendJson(res, 404, { ok: false, kind: 'invalid', error: `no person ${user}` });
      return sendJson(res, 200, await snapshotFor(runtime, user));
    }
    if (method !== 'POST')
      return sendJson(res, 405, { ok: false, kind: 'invalid', error: `${route} takes POST` });
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (err) {
      return sendJson(res, 400, {
        ok: false,
        kind: 'invalid',
        error: err instanceof Error ? err.message : String(err),
      });
    }
    const answer = await handleApiCall(runtime, route, body);
    sendJson(res, answer.status, answer.body);
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      runtime?.logger.error({ err }, 'sandbox route failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, kind: 'error', error: String(err) });
      else res.end();
    });
  };

  return {
    routes: [{ path: '/sandbox{/*rest}', method: ['GET', 'POST'], handler }],
    attach(value) {
      runtime = value;
      notify();
    },
    notify,
    closeStreams() {
      if (pending !== undefined) clearTimeout(pending);
      pending = undefined;
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}
