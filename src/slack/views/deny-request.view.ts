import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { requestLimits } from '../../domain/index.js';
import { messageContextOf, requireCapability, teamOf } from '../actions/action-support.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError } from '../messages.js';
import { answerSubmission } from './modal-submission.js';
import { announceDenial } from './request-decision.effects.js';
import { errorsByBlock, parseMetadata, readViewValues } from './view-values.js';

const metadataSchema = z.object({ r: z.string().min(1).max(64) });

const reasonMessage = `Give the requester a reason (3–${requestLimits.denialReasonMax} characters).`;
const denialSchema = z.object({
  reason: z
    .string({ error: reasonMessage })
    .trim()
    .min(3, reasonMessage)
    .max(requestLimits.denialReasonMax, reasonMessage),
});

/** Deny modal submitted: RequestService.deny, then the channel message, the requester's DM and the homes. */
export function registerDenyRequestView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.denyModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const actorId = body.user.id;
      await requireCapability(deps, teamId, actorId, 'request.decide', 'deny requests');
      const { r: requestId } = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = denialSchema.safeParse({
        reason: values.text(BlockIds.denyReason, ActionIds.denyReason),
      });
      if (!parsed.success) {
        return { kind: 'errors', errors: errorsByBlock(parsed.error, { reason: BlockIds.denyReason }) };
      }
      const result = await deps.requests.deny(teamId, requestId, actorId, parsed.data.reason);
      if (!result.ok) {
        const fields = result.error.details['fields'] as Record<string, string> | undefined;
        if (result.error.code === 'input.invalid' && fields?.['reason']) {
          return { kind: 'errors', errors: { [BlockIds.denyReason]: fields['reason'] } };
        }
        return {
          kind: 'notice',
          title: 'Not denied',
          text: describeError(result.error, messageContextOf(deps)()),
        };
      }
      const request = result.value;
      return { kind: 'close', after: () => announceDenial(deps, client, request) };
    });
  });
}
