import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { problemKinds, tagPattern } from '../../domain/index.js';
import { problemReportedReply } from '../blocks/employee-notices.blocks.js';
import { problemNoteMax, type ReportProblemMetadata } from '../blocks/mine.blocks.js';
import { buildNoticeModal } from '../blocks/notice.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError, inputText } from '../messages.js';
import { actorOf, messageContextOf, teamOf } from '../support/interaction.js';
import { answerSubmission } from '../support/modal-submission.js';
import { errorsByBlock, parseMetadata, readViewValues } from '../support/view-values.js';

const metadataSchema: z.ZodType<ReportProblemMetadata> = z.object({ t: z.string().regex(tagPattern) });

const reportSchema = z.object({
  problem: z.enum(problemKinds, { error: inputText.sayWhatHappened }),
  note: z.string().max(problemNoteMax, inputText.keepItShort(problemNoteMax)).optional(),
});

const fieldBlocks = { problem: BlockIds.problemKind, note: BlockIds.problemNote };

/** Report-problem modal submitted: AssetService.reportProblem (lost changes the status; the rest is history). */
export function registerReportProblemView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.reportProblemModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const { t: tag } = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = reportSchema.safeParse({
        problem: values.option(BlockIds.problemKind, ActionIds.problemKind),
        note: values.text(BlockIds.problemNote, ActionIds.problemNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const { problem, note } = parsed.data;
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.assets.reportProblem(actor, { tag, problem, note });
      const notice = result.ok
        ? buildNoticeModal('Problem reported', problemReportedReply(result.value, problem))
        : buildNoticeModal('Not reported', describeError(result.error, messageContextOf(deps)()));
      return { kind: 'view', view: notice };
    });
  });
}
