import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { requestLimits, type DomainError } from '../../domain/index.js';
import { endOfDayInZone } from '../../platform/dates.js';
import { messageContextOf, requireCapability, teamOf } from '../actions/action-support.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError } from '../messages.js';
import { answerSubmission, plainFieldText, type SubmissionOutcome } from './modal-submission.js';
import { announceApproval } from './request-decision.effects.js';
import { errorsByBlock, parseMetadata, readViewValues } from './view-values.js';

const metadataSchema = z.object({ r: z.string().min(1).max(64) });

/** A due-back day, read as the end of that day in the workspace's zone; empty means a permanent assignment. */
export function dueBackSchema(timeZone: string, now: Date) {
  return z
    .string()
    .optional()
    .transform((day, ctx) => {
      if (day === undefined) return undefined;
      const end = endOfDayInZone(day, timeZone);
      if (!end) {
        ctx.addIssue({ code: 'custom', message: 'Pick a date from the calendar.' });
        return z.NEVER;
      }
      if (end.getTime() <= now.getTime()) {
        ctx.addIssue({
          code: 'custom',
          message:
            'The due-back date is in the past. Pick today or later, or leave it empty for a permanent assignment.',
        });
        return z.NEVER;
      }
      return end;
    });
}

function approvalSchema(timeZone: string, now: Date) {
  return z.object({
    asset: z.string({ error: 'Pick the asset to hand out.' }).min(1, 'Pick the asset to hand out.'),
    dueBack: dueBackSchema(timeZone, now),
    note: z
      .string()
      .max(requestLimits.noteMax, `Keep the note under ${requestLimits.noteMax} characters.`)
      .optional(),
  });
}

const fieldBlocks = {
  asset: BlockIds.approveAsset,
  dueBack: BlockIds.approveDueBack,
  note: BlockIds.approveNote,
};

/** Failures about the chosen asset or date are shown under that field; anything else replaces the modal. */
async function refusal(deps: SlackDeps, teamId: string, error: DomainError): Promise<SubmissionOutcome> {
  const text = describeError(error, messageContextOf(deps)());
  const field =
    error.code === 'input.invalid' && error.details['field'] === 'due'
      ? BlockIds.approveDueBack
      : error.code.startsWith('asset.') || error.code === 'request.asset_mismatch'
        ? BlockIds.approveAsset
        : undefined;
  if (error.code === 'input.invalid' && field) {
    return { kind: 'errors', errors: { [field]: 'The due-back date must be after today.' } };
  }
  if (field) return { kind: 'errors', errors: { [field]: await plainFieldText(deps, teamId, text) } };
  return { kind: 'notice', title: 'Not approved', text };
}

/** Approve modal submitted: one atomic check-out through RequestService.approve, then tell everyone concerned. */
export function registerApproveRequestView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.approveModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const actorId = body.user.id;
      await requireCapability(deps, teamId, actorId, 'request.decide', 'approve requests');
      const { r: requestId } = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const now = deps.clock.now();
      const parsed = approvalSchema(deps.settings.timeZone, now).safeParse({
        asset: values.option(BlockIds.approveAsset, ActionIds.approveAsset),
        dueBack: values.date(BlockIds.approveDueBack, ActionIds.approveDueBack),
        note: values.text(BlockIds.approveNote, ActionIds.approveNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const result = await deps.requests.approve(teamId, requestId, actorId, {
        assetTag: parsed.data.asset,
        dueBackAt: parsed.data.dueBack,
        note: parsed.data.note,
      });
      if (!result.ok) return refusal(deps, teamId, result.error);
      const { request, asset } = result.value;
      return { kind: 'close', after: () => announceApproval(deps, client, request, asset) };
    });
  });
}
