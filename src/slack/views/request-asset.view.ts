import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { assetFieldLimits, requestKinds } from '../../domain/index.js';
import type { CatalogChoiceInput } from '../../services/catalog-choice.js';
import { endOfDayInZone, startOfDayInZone } from '../../platform/dates.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { inputText } from '../messages.js';
import { actorOf, carriedJson, teamOf } from '../support/interaction.js';
import { answerSubmission, fieldErrors } from '../support/modal-submission.js';
import { errorsByBlock, readViewValues } from '../support/view-values.js';

/** An option value as request-modal.blocks.ts writes it: the choice itself, or a fingerprint and a search text. */
const optionValueSchema = z.union([
  z.tuple([z.string().min(1).max(assetFieldLimits.category)]),
  z.tuple([z.string().min(1).max(assetFieldLimits.category), z.string().min(1).max(assetFieldLimits.model)]),
  z.object({ h: z.string().length(16), q: z.string().max(40) }),
]);

function toChoice(value: z.infer<typeof optionValueSchema>): CatalogChoiceInput {
  if (Array.isArray(value)) return { category: value[0], model: value[1] };
  return { fingerprint: value.h, search: value.q };
}

function dateSchema(toDate: (day: string) => Date | undefined) {
  return z
    .string()
    .optional()
    .transform((day, ctx) => {
      if (day === undefined) return undefined;
      const date = toDate(day);
      if (!date) {
        ctx.addIssue({ code: 'custom', message: inputText.pickADate });
        return z.NEVER;
      }
      return date;
    });
}

function requestFormSchema(timeZone: string) {
  return z.object({
    item: z.string({ error: inputText.pickFromCatalog }).transform((value, ctx) => {
      // Not JSON reads as undefined and is refused like any other unknown choice.
      const parsed = optionValueSchema.safeParse(carriedJson(value));
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: inputText.pickFromCatalog });
        return z.NEVER;
      }
      return toChoice(parsed.data);
    }),
    kind: z.enum(requestKinds, { error: inputText.chooseKind }),
    reason: z.string().default(''),
    neededBy: dateSchema((day) => startOfDayInZone(day, timeZone)),
    returnBy: dateSchema((day) => endOfDayInZone(day, timeZone)),
  });
}

/** Form fields and the domain's field names, each with its block id. */
const formBlocks = {
  item: BlockIds.requestItem,
  kind: BlockIds.requestKind,
  reason: BlockIds.requestReason,
  neededBy: BlockIds.requestNeededBy,
  returnBy: BlockIds.requestReturnBy,
  needed_by: BlockIds.requestNeededBy,
  return_by: BlockIds.requestReturnBy,
};

/** Request modal submitted: RequestService.submit (once per modal: keyed by the view id); field problems inline. */
export function registerRequestAssetView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.requestModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const values = readViewValues(view.state.values);
      const parsed = requestFormSchema(deps.settings.timeZone).safeParse({
        item: values.option(BlockIds.requestItem, ActionIds.requestCatalogItem),
        kind: values.option(BlockIds.requestKind, ActionIds.requestKind),
        reason: values.text(BlockIds.requestReason, ActionIds.requestReason),
        neededBy: values.date(BlockIds.requestNeededBy, ActionIds.requestNeededBy),
        returnBy: values.date(BlockIds.requestReturnBy, ActionIds.requestReturnBy),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, formBlocks) };
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.requests.submit(actor, parsed.data, { onceKey: `view:${view.id}` });
      if (!result.ok) return fieldErrors(deps, result.error, formBlocks, 'Not requested');
      return { kind: 'close' };
    });
  });
}
