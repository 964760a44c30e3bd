import { answerMine } from '../../support/answers.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

export const mineSubcommand: Subcommand = {
  name: 'mine',
  usage: '/asset mine',
  description: 'what you hold (return it, report a problem, hand it on), your requests and transfers',
  capability: 'asset.view_own',
  async run(ctx) {
    await answerMine(ctx.deps, ctx.person, 0, (message) => replyEphemeral(ctx, message));
  },
};
