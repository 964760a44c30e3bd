import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern } from '../../domain/index.js';
import { buildReportProblemModal } from '../blocks/mine.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import {
  actorOf,
  messageContextOf,
  parseCarried,
  replyToActor,
  teamOf,
  valueOf,
} from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const tagSchema = z.string().regex(tagPattern);

/**
 * "Report a problem" on an asset: refuses at once when the presser may not report it now (the button may
 * be old), otherwise opens the modal; the report itself is written on submission.
 */
export function registerReportProblemAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.reportProblem, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const tag = parseCarried(tagSchema, action.value, 'asset tag');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const asset = valueOf(await deps.assets.prepareProblemReport(actor, tag));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildReportProblemModal(asset, messageContextOf(deps)()),
      });
    });
  });
}
