import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ReadinessProbe {
  /** Name -> check; every check must pass for /readyz to answer 200. */
  checks: Record<string, () => Promise<boolean> | boolean>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** GET /healthz: the process answers. GET /readyz: its dependencies answer too. */
export function healthRoutes(probe: ReadinessProbe): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        void (async () => {
          const results: Record<string, boolean> = {};
          await Promise.all(
            Object.entries(probe.checks).map(async ([name, check]) => {
              try {
                results[name] = await check();
              } catch {
                // A check that throws is a failed check; the 503 body names it.
                results[name] = false;
              }
            }),
          );
          const ready = Object.values(results).every(Boolean);
          sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
        })();
      },
    },
  ];
}
