import { z } from 'zod';
import { tagPattern } from '../../../domain/index.js';
import { announceReturnStarted, describeReturnRefusal } from '../../actions/return-asset.effects.js';
import { returnStartedReply } from '../../blocks/employee-notices.blocks.js';
import { escapeMrkdwn } from '../../blocks/format.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

export const returnUsage = '/asset return <tag>';

const tagSchema = z.string().regex(tagPattern);

export const returnSubcommand: Subcommand = {
  name: 'return',
  usage: returnUsage,
  description: 'start returning an asset you hold; IT confirms when they have it',
  capability: 'asset.return',
  refusal: 'return assets',
  async run(ctx) {
    const tag = tagSchema.safeParse(ctx.args);
    if (!tag.success) {
      const held = await ctx.deps.assets.heldBy(ctx.teamId, ctx.userId);
      const returnable = held
        .filter((a) => a.status === 'checked_out')
        .map((a) => `\`${escapeMrkdwn(a.tag)}\``);
      const yours =
        returnable.length > 0 ? ` You hold ${returnable.join(', ')}.` : ' You hold nothing to return.';
      await replyEphemeral(ctx, {
        text: `Tell me which asset: \`${returnUsage}\`, e.g. \`/asset return LAP-0042\`.${yours}`,
      });
      return;
    }
    const result = await ctx.deps.assets.startReturn(ctx.teamId, tag.data, ctx.userId);
    if (!result.ok) {
      await replyEphemeral(ctx, { text: describeReturnRefusal(ctx.deps, result.error, ctx.userId) });
      return;
    }
    await replyEphemeral(ctx, { text: returnStartedReply(result.value) });
    await announceReturnStarted(ctx.deps, ctx.client, ctx.teamId, ctx.userId, result.value);
  },
};
