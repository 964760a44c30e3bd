import { z } from 'zod';
import { tagPattern } from '../../../domain/index.js';
import { returnStartedReply } from '../../blocks/employee-notices.blocks.js';
import { describeReturnRefusal, returnUsageText } from '../../messages.js';
import { messageContextOf } from '../../support/interaction.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

const tagSchema = z.string().regex(tagPattern);

export const returnSubcommand: Subcommand = {
  name: 'return',
  usage: '/asset return <tag>',
  description: 'start returning an asset you hold; IT confirms when they have it',
  capability: 'asset.return',
  async run(ctx) {
    const tag = tagSchema.safeParse(ctx.args);
    if (!tag.success) {
      const held = await ctx.deps.assets.heldByMe(ctx.person);
      const returnable = held.ok
        ? held.value.filter((a) => a.status === 'checked_out').map((a) => a.tag)
        : [];
      await replyEphemeral(ctx, { text: returnUsageText(returnable) });
      return;
    }
    const result = await ctx.deps.assets.startReturn(ctx.person, tag.data);
    if (!result.ok) {
      const text = describeReturnRefusal(result.error, ctx.userId, messageContextOf(ctx.deps)());
      await replyEphemeral(ctx, { text });
      return;
    }
    await replyEphemeral(ctx, { text: returnStartedReply(result.value) });
  },
};
