import { buildAddAssetModal } from '../../blocks/it-add.blocks.js';
import type { Subcommand } from '../subcommand.js';

/** `/asset add`: the register-an-asset modal (its submission is handled in views/add-asset.view.ts). */
export const addSubcommand: Subcommand = {
  name: 'add',
  usage: '/asset add',
  description: 'register a new asset (tag, serial, name, category, model, location)',
  capability: 'asset.add',
  async run(ctx) {
    await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildAddAssetModal() });
  },
};
