import { z } from 'zod';
import { normalizeTag, returnConditions, tagPattern } from '../../../domain/index.js';
import { buildCheckinModal, checkedInReply } from '../../blocks/it-custody.blocks.js';
import { describeError, inputText, usageText } from '../../messages.js';
import { messageContextOf } from '../../support/interaction.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

const noteMax = 500;

const checkinArgsSchema = z.object({
  tag: z.string().regex(tagPattern, inputText.notATag),
  condition: z
    .string()
    .optional()
    .transform((word) => word?.toLowerCase().replace(/-/g, '_'))
    .pipe(z.enum(returnConditions, { error: inputText.conditionWord }).default('good')),
  note: z.string().max(noteMax, inputText.noteTooLong(noteMax)).optional(),
});

export const checkinSubcommand: Subcommand = {
  name: 'checkin',
  usage: '/asset checkin <tag> [good|damaged|needs_repair] [note]',
  description: 'take an asset back in, with its condition (alone: a form)',
  capability: 'asset.checkin',
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
      await replyEphemeral(ctx, { text: usageText.checkinProblem(parsed.error.issues[0]?.message) });
      return;
    }
    const { condition, note } = parsed.data;
    const result = await ctx.deps.assets.checkIn(ctx.person, {
      tag: normalizeTag(parsed.data.tag),
      condition,
      note,
    });
    if (!result.ok) {
      await replyEphemeral(ctx, { text: describeError(result.error, messageContextOf(ctx.deps)()) });
      return;
    }
    await replyEphemeral(ctx, {
      text: checkedInReply(result.value.asset, condition, result.value.formerHolderId),
    });
  },
};
