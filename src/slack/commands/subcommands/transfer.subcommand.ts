import { z } from 'zod';
import { tagPattern } from '../../../domain/index.js';
import { offerTransfer, sendOffer } from '../../actions/transfer.effects.js';
import { transferNoteMax, transferOfferedReply } from '../../blocks/transfer.blocks.js';
import { describeError } from '../../messages.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

export const transferUsage = '/asset transfer <tag> @person [note]';

/** Slack escapes a mention as `<@U123|name>` (or `<@U123>`); the note is the rest of the line. */
const argsPattern = /^(\S+)\s+<@([UW][A-Z0-9]+)(?:\|[^>]*)?>(?:\s+([\s\S]+))?$/;

const argsSchema = z.object({
  tag: z
    .string()
    .regex(tagPattern, 'That is not an asset tag (letters, digits, dots, dashes, e.g. LAP-0042).'),
  toId: z.string(),
  note: z.string().max(transferNoteMax, `Keep the note under ${transferNoteMax} characters.`).optional(),
});

export const transferSubcommand: Subcommand = {
  name: 'transfer',
  usage: transferUsage,
  description: 'hand an asset you hold to a colleague; it moves when they accept',
  capability: 'asset.transfer',
  refusal: 'transfer assets',
  async run(ctx) {
    const match = argsPattern.exec(ctx.args);
    if (!match) {
      await replyEphemeral(ctx, {
        text: `I need a tag and a person: \`${transferUsage}\`, e.g. \`/asset transfer LAP-0042 @ana she takes over the project\`. Or press *Transfer* in \`/asset mine\`.`,
      });
      return;
    }
    const parsed = argsSchema.safeParse({
      tag: match[1],
      toId: match[2],
      note: match[3]?.trim() || undefined,
    });
    if (!parsed.success) {
      await replyEphemeral(ctx, { text: parsed.error.issues[0]?.message ?? `Usage: \`${transferUsage}\`` });
      return;
    }
    const result = await offerTransfer(ctx.deps, ctx.client, {
      teamId: ctx.teamId,
      fromId: ctx.userId,
      toId: parsed.data.toId,
      tag: parsed.data.tag,
      note: parsed.data.note,
    });
    if (!result.ok) {
      const text = describeError(result.error, {
        timeZone: ctx.deps.settings.timeZone,
        now: ctx.deps.clock.now(),
      });
      await replyEphemeral(ctx, { text });
      return;
    }
    const { transfer, asset } = result.value;
    await replyEphemeral(ctx, transferOfferedReply(transfer));
    await sendOffer(ctx.deps, ctx.client, transfer, asset);
  },
};
