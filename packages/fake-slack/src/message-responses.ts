/**
 * What Slack does with a message sent back to it through a `response_url` (or as the body of a
 * slash command's acknowledgement): post it ephemerally or in the channel, replace the message the
 * interaction came from, or delete it. No IO.
 */
import { z } from 'zod';
import { formatProblems, validateMessageBlocks } from './block-kit/validate.js';
import type { IdFactory } from './ids.js';
import type { MessageSource, SlackBlock } from './types.js';
import type { FakeWorkspace, ResponseUrlOrigin } from './workspace.js';

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const messageResponseSchema = z.looseObject({
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: flag.optional(),
  delete_original: flag.optional(),
  thread_ts: z.string().optional(),
});

export type MessageResponse = z.infer<typeof messageResponseSchema>;

export type MessageResponseOutcome =
  | { ok: true; effect: 'ephemeral' | 'in_channel' | 'replaced' | 'deleted' }
  | { ok: false; error: string; messages?: string[] };

export function applyMessageResponse(
  ws: FakeWorkspace,
  ids: IdFactory,
  origin: ResponseUrlOrigin,
  response: MessageResponse,
  source: MessageSource,
): MessageResponseOutcome {
  const target = origin.message;
  if (response.delete_original === true) {
    if (target === undefined) return { ok: false, error: 'message_not_found' };
    if (target.ephemeral) {
      const before = ws.ephemerals.length;
      ws.ephemerals = ws.ephemerals.filter(
        (e) => !(e.channel === origin.channelId && e.user === origin.userId && e.message_ts === target.ts),
      );
      return ws.ephemerals.length < before
        ? { ok: true, effect: 'deleted' }
        : { ok: false, error: 'message_not_found' };
    }
    const deleted = ws.deleteBotMessage(origin.channelId, target.ts);
    return deleted.ok ? { ok: true, effect: 'deleted' } : { ok: false, error: deleted.error };
  }

  const text = response.text ?? '';
  let blocks: SlackBlock[] | undefined;
  if (response.blocks !== undefined) {
    const checked = validateMessageBlocks(response.blocks, ids);
    if (!checked.ok) return { ok: false, error: checked.error, messages: formatProblems(checked.problems) };
    blocks = checked.blocks;
  }
  if (text.trim() === '' && blocks === undefined) return { ok: false, error: 'no_text' };
  const content = {
    text,
    ...(blocks === undefined ? {} : { blocks }),
    ...(response.thread_ts === undefined ? {} : { thread_ts: response.thread_ts }),
  };

  if (response.replace_original === true && target !== undefined) {
    if (target.ephemeral) {
      const existing = ws.findEphemeral(origin.channelId, origin.userId, target.ts);
      if (existing === undefined) return { ok: false, error: 'message_not_found' };
      existing.text = content.text;
      if (blocks === undefined) delete existing.blocks;
      else existing.blocks = blocks;
      existing.source = source;
      return { ok: true, effect: 'replaced' };
    }
    const updated = ws.updateBotMessage(origin.channelId, target.ts, content);
    return updated.ok ? { ok: true, effect: 'replaced' } : { ok: false, error: updated.error };
  }

  if (response.response_type === 'in_channel') {
    ws.postBotMessage(origin.channelId, content, source);
    return { ok: true, effect: 'in_channel' };
  }
  ws.addEphemeral(origin.channelId, origin.userId, content, source);
  return { ok: true, effect: 'ephemeral' };
}
