import { z } from 'zod';
import { tagPattern } from '../../../domain/index.js';
import { transferNoteMax, transferOfferedReply } from '../../blocks/transfer.blocks.js';
import { describeError, inputText, usageText } from '../../messages.js';
import { messageContextOf } from '../../support/interaction.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

/** Slack escapes a mention as `<@U123|name>` (or `<@U123>`), maybe followed by a comma; the note is the rest. */
const argsPattern = /^(\S+)\s+<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[,;:.]?(?:\s+([\s\S]+))?$/;

const argsSchema = z.object({
  tag: z.string().regex(tagPattern, inputText.notATag),
  toId: z.string(),
  note: z.string().max(transferNoteMax, inputText.noteTooLong(transferNoteMax)).optional(),
});

export const transferSubcommand: Subcommand = {
  name: 'transfer',
  usage: '/asset transfer <tag> @person [note]',
  description: 'hand an asset you hold to a colleague; it moves when they accept',
  capability: 'asset.transfer',
  async run(ctx) {
    const match = argsPattern.exec(ctx.args);
    if (!match) {
      await replyEphemeral(ctx, { text: usageText.transfer });
      return;
    }
    const parsed = argsSchema.safeParse({
      tag: match[1],
      toId: match[2],
      note: match[3]?.trim() || undefined,
    });
    if (!parsed.success) {
      await replyEphemeral(ctx, { text: parsed.error.issues[0]?.message ?? usageText.transfer });
      return;
    }
    const result = await ctx.deps.transfers.offer(ctx.person, parsed.data);
    if (!result.ok) {
      await replyEphemeral(ctx, { text: describeError(result.error, messageContextOf(ctx.deps)()) });
      return;
    }
    await replyEphemeral(ctx, transferOfferedReply(result.value.transfer));
  },
};
