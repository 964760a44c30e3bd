import { answerHistory } from '../../support/answers.js';
import { usageText } from '../../messages.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

export const historyUsage = '/asset history <tag>';

export const historySubcommand: Subcommand = {
  name: 'history',
  usage: historyUsage,
  description: 'every movement and change of an asset, newest first',
  capability: 'asset.history',
  async run(ctx) {
    const tag = ctx.args.split(/\s+/)[0] ?? '';
    if (tag === '' || tag.length > 40) {
      await replyEphemeral(ctx, { text: usageText.history });
      return;
    }
    await answerHistory(ctx.deps, ctx.person, tag, 0, (message) => replyEphemeral(ctx, message));
  },
};
