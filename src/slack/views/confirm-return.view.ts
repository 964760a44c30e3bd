import type { App, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { returnConditions, tagPattern, type ReturnCondition } from '../../domain/index.js';
import { messageContextOf, requireCapability, teamOf } from '../actions/action-support.js';
import {
  returnConfirmedMessage,
  returnConfirmedReply,
  type ConfirmReturnMetadata,
} from '../blocks/it-custody.blocks.js';
import {
  announceCustodyEnded,
  formerHolderOf,
  type CustodyEnded,
} from '../commands/subcommands/checkin.subcommand.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError } from '../messages.js';
import { answerSubmission } from './modal-submission.js';
import { errorsByBlock, parseMetadata, readViewValues } from './view-values.js';

const noteMax = 500;

const metadataSchema: z.ZodType<ConfirmReturnMetadata> = z.object({
  t: z.string().regex(tagPattern),
  c: z.string().min(1).max(40).optional(),
  m: z.string().min(1).max(40).optional(),
});

const confirmSchema = z.object({
  condition: z.enum(returnConditions, { error: 'Pick the condition it came back in.' }),
  note: z.string().max(noteMax, `Keep the note under ${noteMax} characters.`).optional(),
});

const fieldBlocks = { condition: BlockIds.returnCondition, note: BlockIds.returnNote };

/** Replaces the IT channel's return message with the outcome, once per confirmation. */
async function updateReturnMessage(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  actorId: string,
  metadata: ConfirmReturnMetadata,
  ended: CustodyEnded,
  condition: ReturnCondition,
): Promise<void> {
  const { c: channel, m: ts } = metadata;
  if (!channel || !ts) return;
  const key = `asset:${ended.asset.id}:return-confirmed-message:${ended.asset.updatedAt.getTime()}`;
  await deps.notifications
    .once(teamId, key, async () => {
      await client.chat.update({
        channel,
        ts,
        ...returnConfirmedMessage(ended.asset, actorId, ended.formerHolderId, condition),
      });
    })
    .catch((err: unknown) =>
      deps.logger.error({ err, teamId, tag: ended.asset.tag }, 'could not update the return message'),
    );
}

/** Confirm-return modal submitted: AssetService.confirmReturn, then the former holder, the channel and homes. */
export function registerConfirmReturnView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.confirmReturnModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const actorId = body.user.id;
      await requireCapability(deps, teamId, actorId, 'asset.checkin', 'confirm returns');
      const metadata = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = confirmSchema.safeParse({
        condition: values.option(BlockIds.returnCondition, ActionIds.returnCondition),
        note: values.text(BlockIds.returnNote, ActionIds.returnNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const { condition, note } = parsed.data;
      const result = await deps.assets.confirmReturn(teamId, metadata.t, actorId, condition, note);
      if (!result.ok) {
        return {
          kind: 'notice',
          title: 'Not confirmed',
          text: describeError(result.error, messageContextOf(deps)()),
        };
      }
      const asset = result.value;
      const ended = {
        asset,
        formerHolderId: await formerHolderOf(deps, teamId, asset, actorId, 'return_confirmed'),
      };
      return {
        kind: 'notice',
        title: 'Return confirmed',
        text: returnConfirmedReply(asset, condition),
        after: async () => {
          await updateReturnMessage(deps, client, teamId, actorId, metadata, ended, condition);
          await announceCustodyEnded(deps, client, teamId, actorId, ended, condition, 'return_confirmed');
        },
      };
    });
  });
}
