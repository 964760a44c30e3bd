/** Slack's request signature: `v0=` + HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`). */
import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export function signSlackRequest(
  signingSecret: string,
  timestampSeconds: number,
  rawBody: string,
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}
