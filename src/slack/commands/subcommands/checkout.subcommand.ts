import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import {
  canHoldAssets,
  normalizeTag,
  tagPattern,
  type DomainError,
  type Result,
} from '../../../domain/index.js';
import { endOfDayInZone } from '../../../platform/dates.js';
import type { ShownAsset } from '../../blocks/asset.blocks.js';
import { buildCheckoutModal, checkedOutDm, checkedOutReply } from '../../blocks/it-custody.blocks.js';
import type { SlackDeps } from '../../deps.js';
import { refreshHomes } from '../../home-publisher.js';
import { describeError } from '../../messages.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

export const checkoutUsage = '/asset checkout <tag> @person [due YYYY-MM-DD]';

const argsPattern = /^(\S+)\s+<@([UW][A-Z0-9]+)(?:\|[^>]*)?>(?:\s+(?:due\s+)?(\S+))?$/i;

function checkoutArgsSchema(timeZone: string, now: Date) {
  return z.object({
    tag: z
      .string()
      .regex(tagPattern, 'That is not an asset tag (letters, digits, dots, dashes, e.g. LAP-0042).'),
    holderId: z.string(),
    dueBackAt: z
      .string()
      .optional()
      .transform((day, ctx) => {
        if (day === undefined) return undefined;
        const end = endOfDayInZone(day, timeZone);
        if (!end) {
          ctx.addIssue({
            code: 'custom',
            message: `The due date must be a real day written YYYY-MM-DD (got “${day.slice(0, 20)}”).`,
          });
          return z.NEVER;
        }
        if (end.getTime() <= now.getTime()) {
          ctx.addIssue({
            code: 'custom',
            message: `The due date ${day} is in the past; pick today or later.`,
          });
          return z.NEVER;
        }
        return end;
      }),
  });
}

export interface CheckoutInput {
  tag: string;
  holderId: string;
  dueBackAt: Date | undefined;
  note?: string | undefined;
}

/** Checks an asset out to a person who exists and is active (one conditional update in AssetService). */
export async function checkOutToPerson(
  deps: SlackDeps,
  teamId: string,
  actorId: string,
  input: CheckoutInput,
): Promise<Result<ShownAsset>> {
  const holder = await deps.people.resolve(teamId, input.holderId);
  const allowed = canHoldAssets(holder, input.holderId);
  if (!allowed.ok) return allowed;
  return deps.assets.checkOut(teamId, input.tag, actorId, input.holderId, input.dueBackAt, input.note);
}

/** Tells the new holder by DM (once per check-out) and refreshes the homes that show the asset. */
export async function announceCheckout(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  actorId: string,
  asset: ShownAsset,
  note: string | undefined,
): Promise<void> {
  const holderId = asset.holderId;
  if (!holderId) return;
  const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now() };
  const key = `asset:${asset.id}:checked-out:${asset.checkedOutAt?.getTime() ?? 0}`;
  await deps.notifications
    .once(teamId, key, async () => {
      await client.chat.postMessage({ channel: holderId, ...checkedOutDm(asset, actorId, ctx, note) });
    })
    .catch((err: unknown) =>
      deps.logger.error({ err, teamId, tag: asset.tag }, 'could not DM the new holder'),
    );
  await refreshHomes(deps, client, teamId, [holderId], { itQueueChanged: true });
}

/** Domain refusals read as sentences; a past due date gets its own words rather than a generic one. */
export function describeCheckoutError(deps: SlackDeps, error: DomainError): string {
  if (error.code === 'input.invalid' && error.details['field'] === 'due') {
    return 'The due date must be after today.';
  }
  return describeError(error, { timeZone: deps.settings.timeZone, now: deps.clock.now() });
}

export const checkoutSubcommand: Subcommand = {
  name: 'checkout',
  usage: checkoutUsage,
  description: 'hand an asset to someone directly (alone: a form)',
  capability: 'asset.checkout',
  refusal: 'check assets out',
  async run(ctx) {
    if (ctx.args === '') {
      await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildCheckoutModal() });
      return;
    }
    const match = argsPattern.exec(ctx.args);
    if (!match) {
      await replyEphemeral(ctx, {
        text: `I need a tag and a person: \`${checkoutUsage}\`, e.g. \`/asset checkout LAP-0042 @ana due 2026-12-31\`. Or type \`/asset checkout\` alone for a form.`,
      });
      return;
    }
    const now = ctx.deps.clock.now();
    const parsed = checkoutArgsSchema(ctx.deps.settings.timeZone, now).safeParse({
      tag: match[1],
      holderId: match[2],
      dueBackAt: match[3],
    });
    if (!parsed.success) {
      await replyEphemeral(ctx, { text: parsed.error.issues[0]?.message ?? `Usage: \`${checkoutUsage}\`` });
      return;
    }
    const result = await checkOutToPerson(ctx.deps, ctx.teamId, ctx.userId, {
      tag: normalizeTag(parsed.data.tag),
      holderId: parsed.data.holderId,
      dueBackAt: parsed.data.dueBackAt,
      note: undefined,
    });
    if (!result.ok) {
      await replyEphemeral(ctx, { text: describeCheckoutError(ctx.deps, result.error) });
      return;
    }
    const viewCtx = { timeZone: ctx.deps.settings.timeZone, now: ctx.deps.clock.now() };
    await replyEphemeral(ctx, { text: checkedOutReply(result.value, viewCtx) });
    await announceCheckout(ctx.deps, ctx.client, ctx.teamId, ctx.userId, result.value, undefined);
  },
};
