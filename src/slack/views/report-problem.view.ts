import type { App, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { problemKinds, tagPattern, type ProblemKind } from '../../domain/index.js';
import { messageContextOf, requireCapability, teamOf } from '../actions/action-support.js';
import type { ShownAsset } from '../blocks/asset.blocks.js';
import { problemReportedItMessage, problemReportedReply } from '../blocks/employee-notices.blocks.js';
import { problemNoteMax, type ReportProblemMetadata } from '../blocks/mine.blocks.js';
import type { SlackDeps } from '../deps.js';
import { refreshHomes } from '../home-publisher.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError } from '../messages.js';
import { answerSubmission, noticeView } from './modal-submission.js';
import { errorsByBlock, parseMetadata, readViewValues } from './view-values.js';

const metadataSchema: z.ZodType<ReportProblemMetadata> = z.object({ t: z.string().regex(tagPattern) });

const reportSchema = z.object({
  problem: z.enum(problemKinds, { error: 'Say what happened.' }),
  note: z.string().max(problemNoteMax, `Keep it under ${problemNoteMax} characters.`).optional(),
});

const fieldBlocks = { problem: BlockIds.problemKind, note: BlockIds.problemNote };

/** IT hears about it once per report; a lost asset leaves the holder's home and changes IT's queue. */
async function announceProblem(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  reporterId: string,
  asset: ShownAsset,
  problem: ProblemKind,
  note: string | undefined,
): Promise<void> {
  const channel = deps.settings.itChannelId;
  if (channel) {
    const ctx = messageContextOf(deps)();
    await deps.notifications
      .once(teamId, `asset:${asset.id}:problem:${problem}:${asset.updatedAt.getTime()}`, async () => {
        await client.chat.postMessage({
          channel,
          ...problemReportedItMessage(asset, reporterId, problem, note, ctx),
        });
      })
      .catch((err: unknown) =>
        deps.logger.error({ err, teamId, tag: asset.tag }, 'could not tell IT about a problem'),
      );
  } else {
    deps.logger.warn(
      { teamId, tag: asset.tag },
      'no IT channel configured; a reported problem is only in the history',
    );
  }
  await refreshHomes(deps, client, teamId, [reporterId], { itQueueChanged: problem === 'lost' });
}

/** Report-problem modal submitted: AssetService.reportProblem (lost changes the status; the rest is history), then IT. */
export function registerReportProblemView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.reportProblemModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      await requireCapability(deps, teamId, userId, 'asset.report_problem', 'report problems');
      const { t: tag } = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = reportSchema.safeParse({
        problem: values.option(BlockIds.problemKind, ActionIds.problemKind),
        note: values.text(BlockIds.problemNote, ActionIds.problemNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const { problem, note } = parsed.data;
      const result = await deps.assets.reportProblem(teamId, tag, userId, problem, note);
      if (!result.ok) {
        return {
          kind: 'view',
          view: noticeView('Not reported', describeError(result.error, messageContextOf(deps)())),
        };
      }
      const asset = result.value;
      return {
        kind: 'view',
        view: noticeView('Problem reported', problemReportedReply(asset, problem)),
        after: () => announceProblem(deps, client, teamId, userId, asset, problem, note),
      };
    });
  });
}
