/**
 * What /sandbox answers in Slack mode. Kept apart from the sandbox's own routes so that a Slack-mode
 * start never loads the sandbox, whose fake Slack is a development package.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';

/** In Slack mode, /sandbox answers that the sandbox is off, and why. */
export function sandboxOffRoutes(): CustomRoute[] {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Custodian sandbox is off</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The sandbox is off</h1>
<p>The sandbox is off because Slack credentials are set: this Custodian is connected to a real Slack workspace,
so it does not serve the local demo.</p>
<p>To try Custodian without Slack, start it without <code>SLACK_BOT_TOKEN</code>, <code>SLACK_SIGNING_SECRET</code>
and <code>SLACK_APP_TOKEN</code> (see README.md, "Try it without Slack").</p>
</body></html>
`;
  return [
    {
      path: '/sandbox{/*rest}',
      method: ['GET', 'POST'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page);
      },
    },
  ];
}
