import { can, primaryRole } from '../../../domain/index.js';
import { buildHelpMessage } from '../../blocks/help.blocks.js';
import { replyEphemeral, type Subcommand } from '../subcommand.js';

/** Help needs the full list of subcommands, so it is built from the registry it is part of. */
export function helpSubcommand(all: () => Subcommand[]): Subcommand {
  return {
    name: 'help',
    usage: '/asset help',
    description: 'this guide',
    capability: 'asset.find',
    async run(ctx) {
      const entries = all()
        .filter((sub) => can(ctx.person, sub.capability))
        .map((sub) => ({ usage: sub.usage, description: sub.description }));
      await replyEphemeral(ctx, buildHelpMessage(entries, primaryRole(ctx.person)));
    },
  };
}
