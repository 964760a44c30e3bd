import type { App, GlobalShortcut } from '@slack/bolt';
import { buildRequestModal } from '../blocks/request-modal.blocks.js';
import type { SlackDeps } from '../deps.js';
import { CallbackIds } from '../ids.js';
import { shortcutFailedText } from '../messages.js';

/** The global shortcut "Request an asset": the same modal as `/asset request`. */
export function registerRequestAssetShortcut(app: App, deps: SlackDeps): void {
  app.shortcut<GlobalShortcut>(CallbackIds.requestShortcut, async ({ ack, shortcut, client }) => {
    await ack();
    try {
      await client.views.open({ trigger_id: shortcut.trigger_id, view: buildRequestModal() });
    } catch (err) {
      // A shortcut has no channel to answer in: a DM says it failed, the log says why.
      deps.logger.error(
        { err, userId: shortcut.user.id },
        'could not open the request modal from the shortcut',
      );
      await client.chat
        .postMessage({
          channel: shortcut.user.id,
          text: shortcutFailedText,
        })
        .catch((dmErr: unknown) => deps.logger.error({ err: dmErr }, 'could not DM about a failed shortcut'));
    }
  });
}
