import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { DomainFailure, planTransition, tagPattern } from '../../domain/index.js';
import { buildReportProblemModal } from '../blocks/mine.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';

const tagSchema = z.string().regex(tagPattern);

/**
 * "Report a problem" on an asset: refuses at once when the presser does not hold it (the button may be
 * old), otherwise opens the modal; the report itself is written on submission.
 */
export function registerReportProblemAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.reportProblem, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      const tag = tagSchema.parse(action.value);
      await requireCapability(deps, teamId, userId, 'asset.report_problem', 'report problems');
      const found = await deps.assets.byTag(teamId, tag);
      if (!found.ok) throw new DomainFailure(found.error);
      const ctx = messageContextOf(deps)();
      // The same rule the report will be held to, checked before the person fills anything in.
      const allowed = planTransition(
        found.value,
        { kind: 'report_problem', problem: 'not_working' },
        { actorId: userId, now: ctx.now },
      );
      if (!allowed.ok) throw new DomainFailure(allowed.error);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildReportProblemModal(found.value, ctx),
      });
    });
  });
}
