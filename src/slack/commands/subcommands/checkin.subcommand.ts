import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import {
  normalizeTag,
  returnConditions,
  tagPattern,
  type ReturnCondition,
  type Result,
} from '../../../domain/index.js';
import type { ShownAsset } from '../../blocks/asset.blocks.js';
import { buildCheckinModal, checkedInReply, custodyEndedDm } from '../../blocks/it-custody.blocks.js';
import type { SlackDeps } from '../../deps.js';
import { refreshHomes } from '../../home-publisher.js';
import { describeError } from '../../messages.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

export const checkinUsage = '/asset checkin <tag> [good|damaged|needs_repair] [note]';
const noteMax = 500;

const checkinArgsSchema = z.object({
  tag: z
    .string()
    .regex(tagPattern, 'That is not an asset tag (letters, digits, dots, dashes, e.g. LAP-0042).'),
  condition: z
    .string()
    .optional()
    .transform((word) => word?.toLowerCase().replace(/-/g, '_'))
    .pipe(
      z
        .enum(returnConditions, { error: 'The condition is one of `good`, `damaged` or `needs_repair`.' })
        .default('good'),
    ),
  note: z.string().max(noteMax, `Keep the note under ${noteMax} characters.`).optional(),
});

export interface CustodyEnded {
  asset: ShownAsset;
  formerHolderId: string | undefined;
}

/**
 * Who held the asset before `actorId`'s change, read from its newest history entry (written in the same
 * update as the change), so the DM goes to the right person even if the asset moved since it was shown.
 */
export async function formerHolderOf(
  deps: SlackDeps,
  teamId: string,
  asset: ShownAsset,
  actorId: string,
  action: 'checked_in' | 'return_confirmed',
): Promise<string | undefined> {
  const history = await deps.assets.history(teamId, asset.tag, { offset: 0, limit: 1 });
  const last = history.ok ? history.value.entries.items[0] : undefined;
  return last && last.action === action && last.actorId === actorId ? last.fromHolderId : undefined;
}

/** Checks an asset in with its condition and finds out whom it was taken from. */
export async function checkInAsset(
  deps: SlackDeps,
  teamId: string,
  actorId: string,
  input: { tag: string; condition: ReturnCondition; note?: string | undefined },
): Promise<Result<CustodyEnded>> {
  const result = await deps.assets.checkIn(teamId, input.tag, actorId, input.condition, input.note);
  if (!result.ok) return result;
  const formerHolderId = await formerHolderOf(deps, teamId, result.value, actorId, 'checked_in');
  return { ok: true, value: { asset: result.value, formerHolderId } };
}

/** Tells the former holder (once per change) and refreshes the homes that showed the asset. */
export async function announceCustodyEnded(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  actorId: string,
  ended: CustodyEnded,
  condition: ReturnCondition,
  kind: 'checked_in' | 'return_confirmed',
): Promise<void> {
  const { asset, formerHolderId } = ended;
  if (formerHolderId && formerHolderId !== actorId) {
    const key = `asset:${asset.id}:${kind}:${asset.updatedAt.getTime()}`;
    await deps.notifications
      .once(teamId, key, async () => {
        await client.chat.postMessage({
          channel: formerHolderId,
          ...custodyEndedDm(asset, actorId, condition, kind),
        });
      })
      .catch((err: unknown) =>
        deps.logger.error({ err, teamId, tag: asset.tag }, 'could not DM the former holder'),
      );
  }
  await refreshHomes(deps, client, teamId, [formerHolderId], { itQueueChanged: true });
}

export const checkinSubcommand: Subcommand = {
  name: 'checkin',
  usage: checkinUsage,
  description: 'take an asset back in, with its condition (alone: a form)',
  capability: 'asset.checkin',
  refusal: 'check assets in',
  async run(ctx) {
    if (ctx.args === '') {
      await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildCheckinModal() });
      return;
    }
    const [tag, conditionWord, ...rest] = ctx.args.split(/\s+/);
    const parsed = checkinArgsSchema.safeParse({
      tag,
      condition: conditionWord,
      note: rest.length > 0 ? rest.join(' ') : undefined,
    });
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? 'That is not a check-in.';
      await replyEphemeral(ctx, { text: `${problem} Usage: \`${checkinUsage}\`` });
      return;
    }
    const { condition } = parsed.data;
    const result = await checkInAsset(ctx.deps, ctx.teamId, ctx.userId, {
      tag: normalizeTag(parsed.data.tag),
      condition,
      note: parsed.data.note,
    });
    if (!result.ok) {
      const messageCtx = { timeZone: ctx.deps.settings.timeZone, now: ctx.deps.clock.now() };
      await replyEphemeral(ctx, { text: describeError(result.error, messageCtx) });
      return;
    }
    await replyEphemeral(ctx, {
      text: checkedInReply(result.value.asset, condition, result.value.formerHolderId),
    });
    await announceCustodyEnded(
      ctx.deps,
      ctx.client,
      ctx.teamId,
      ctx.userId,
      result.value,
      condition,
      'checked_in',
    );
  },
};
