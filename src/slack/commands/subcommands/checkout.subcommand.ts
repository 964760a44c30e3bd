import { z } from 'zod';
import { normalizeTag, tagPattern } from '../../../domain/index.js';
import { buildCheckoutModal, checkedOutReply } from '../../blocks/it-custody.blocks.js';
import { describeError, inputText, usageText } from '../../messages.js';
import { dueDateSchema } from '../../support/dates.js';
import { messageContextOf } from '../../support/interaction.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

const argsPattern = /^(\S+)\s+<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[,;:.]?(?:\s+(?:due\s+)?(\S+))?$/i;

export const checkoutSubcommand: Subcommand = {
  name: 'checkout',
  usage: '/asset checkout <tag> @person [due YYYY-MM-DD]',
  description: 'hand an asset to someone directly (alone: a form)',
  capability: 'asset.checkout',
  async run(ctx) {
    if (ctx.args === '') {
      await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildCheckoutModal() });
      return;
    }
    const match = argsPattern.exec(ctx.args);
    if (!match) {
      await replyEphemeral(ctx, { text: usageText.checkout });
      return;
    }
    const messageCtx = messageContextOf(ctx.deps)();
    const parsed = z
      .object({
        tag: z.string().regex(tagPattern, inputText.notATag),
        holderId: z.string(),
        dueBackAt: dueDateSchema(messageCtx.timeZone, messageCtx.now, 'typed'),
      })
      .safeParse({ tag: match[1], holderId: match[2], dueBackAt: match[3] });
    if (!parsed.success) {
      await replyEphemeral(ctx, { text: parsed.error.issues[0]?.message ?? usageText.checkout });
      return;
    }
    const result = await ctx.deps.assets.checkOut(ctx.person, {
      tag: normalizeTag(parsed.data.tag),
      holderId: parsed.data.holderId,
      dueBackAt: parsed.data.dueBackAt,
    });
    if (!result.ok) {
      await replyEphemeral(ctx, { text: describeError(result.error, messageCtx) });
      return;
    }
    await replyEphemeral(ctx, { text: checkedOutReply(result.value, messageContextOf(ctx.deps)()) });
  },
};
