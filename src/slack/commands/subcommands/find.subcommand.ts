import { answerFind } from '../../support/answers.js';
import { replyEphemeral, type Subcommand, type SubcommandContext } from '../subcommand.js';

export const findSubcommand: Subcommand = {
  name: 'find',
  usage: '/asset find <text | @person> [status:… category:… location:…]',
  description: 'look up assets: status, holder and location',
  capability: 'asset.find',
  async run(ctx: SubcommandContext) {
    await answerFind(ctx.deps, ctx.person, ctx.args, 0, (message) => replyEphemeral(ctx, message));
  },
};
