import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { DomainFailure } from '../../domain/index.js';
import { buildDenyModal } from '../blocks/it-decision.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';

const requestIdSchema = z.string().min(1).max(64);

/** "Deny" on a request: checks who may decide it now, then asks for the reason in a modal. */
export function registerDenyRequestAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.denyRequest, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const requestId = requestIdSchema.parse(action.value);
      await requireCapability(deps, teamId, body.user.id, 'request.decide', 'deny requests');
      const request = await deps.requests.prepareDecision(teamId, requestId, body.user.id);
      if (!request.ok) throw new DomainFailure(request.error);
      const ctx = messageContextOf(deps)();
      await client.views.open({ trigger_id: body.trigger_id, view: buildDenyModal(request.value, ctx) });
    });
  });
}
