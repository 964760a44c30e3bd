import { buildRequestModal } from '../../blocks/request-modal.blocks.js';
import type { Subcommand } from '../subcommand.js';

export const requestSubcommand: Subcommand = {
  name: 'request',
  usage: '/asset request',
  description: 'ask IT for a laptop, phone, monitor or license (a form)',
  capability: 'asset.request',
  async run(ctx) {
    await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildRequestModal() });
  },
};
