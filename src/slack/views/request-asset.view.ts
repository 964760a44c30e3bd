import type { App, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import {
  assetFieldLimits,
  DomainFailure,
  requestKinds,
  type AssetRequest,
  type CatalogChoice,
  type DomainError,
  type NewRequestInput,
} from '../../domain/index.js';
import { endOfDayInZone, startOfDayInZone } from '../../platform/dates.js';
import { requireCapability, teamOf } from '../actions/action-support.js';
import { itNotNotifiedDm, requestReceivedDm } from '../blocks/employee-notices.blocks.js';
import { catalogChoiceHash } from '../blocks/request-modal.blocks.js';
import { buildItRequestMessage } from '../blocks/request.blocks.js';
import type { SlackDeps } from '../deps.js';
import { refreshHomes } from '../home-publisher.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { answerSubmission } from './modal-submission.js';
import { errorsByBlock, readViewValues } from './view-values.js';

const pickAgain = 'Pick what you need from the list.';

/** An option value as request-modal.blocks.ts writes it: the choice itself, or a fingerprint and a search text. */
const optionValueSchema = z.union([
  z.tuple([z.string().min(1).max(assetFieldLimits.category)]),
  z.tuple([z.string().min(1).max(assetFieldLimits.category), z.string().min(1).max(assetFieldLimits.model)]),
  z.object({ h: z.string().length(16), q: z.string().max(40) }),
]);

function dateSchema(toDate: (day: string) => Date | undefined) {
  return z
    .string()
    .optional()
    .transform((day, ctx) => {
      if (day === undefined) return undefined;
      const date = toDate(day);
      if (!date) {
        ctx.addIssue({ code: 'custom', message: 'Pick a date from the calendar.' });
        return z.NEVER;
      }
      return date;
    });
}

function requestFormSchema(timeZone: string) {
  return z.object({
    item: z.string({ error: pickAgain }).transform((value, ctx) => {
      let raw: unknown;
      try {
        raw = JSON.parse(value);
      } catch {
        raw = undefined;
      }
      const parsed = optionValueSchema.safeParse(raw);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: pickAgain });
        return z.NEVER;
      }
      return parsed.data;
    }),
    kind: z.enum(requestKinds, { error: 'Choose permanent or loan.' }),
    reason: z.string().default(''),
    neededBy: dateSchema((day) => startOfDayInZone(day, timeZone)),
    returnBy: dateSchema((day) => endOfDayInZone(day, timeZone)),
  });
}

const formBlocks = {
  item: BlockIds.requestItem,
  kind: BlockIds.requestKind,
  reason: BlockIds.requestReason,
  neededBy: BlockIds.requestNeededBy,
  returnBy: BlockIds.requestReturnBy,
};

/** The domain names fields as the modal's block ids do; this keeps that link explicit. */
const domainFieldBlocks: Record<string, string> = {
  item: BlockIds.requestItem,
  kind: BlockIds.requestKind,
  reason: BlockIds.requestReason,
  needed_by: BlockIds.requestNeededBy,
  return_by: BlockIds.requestReturnBy,
};

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Finds a catalog line for a choice (case-insensitively), to resolve a fingerprint or count what is in stock. */
async function findCatalogLine(
  deps: SlackDeps,
  teamId: string,
  search: string,
  matches: (line: CatalogChoice) => boolean,
) {
  const lines = await deps.assets.catalog(teamId, search, 100);
  return lines.find(matches);
}

async function resolveChoice(
  deps: SlackDeps,
  teamId: string,
  value: z.infer<typeof optionValueSchema>,
): Promise<CatalogChoice | undefined> {
  if (Array.isArray(value)) return { category: value[0], model: value[1] };
  const line = await findCatalogLine(deps, teamId, value.q, (l) => catalogChoiceHash(l) === value.h);
  return line ? { category: line.category, model: line.model } : undefined;
}

async function inStockFor(deps: SlackDeps, teamId: string, item: CatalogChoice): Promise<number | undefined> {
  const line = await findCatalogLine(
    deps,
    teamId,
    item.model ?? item.category,
    (l) =>
      sameText(l.category, item.category) &&
      (item.model === undefined
        ? l.model === undefined
        : l.model !== undefined && sameText(l.model, item.model)),
  );
  return line?.available ?? 0;
}

/** The requester hears it arrived, IT gets the message with Approve / Deny (remembered for in-place updates), homes refresh. */
export async function announceNewRequest(
  deps: SlackDeps,
  client: WebClient,
  request: AssetRequest,
): Promise<void> {
  const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now() };
  const { teamId } = request;
  const tasks: Array<Promise<unknown>> = [
    deps.notifications.once(teamId, `request:${request.id}:received-dm`, async () => {
      await client.chat.postMessage({ channel: request.requesterId, ...requestReceivedDm(request, ctx) });
    }),
  ];
  const channel = deps.settings.itChannelId;
  if (channel) {
    tasks.push(
      deps.notifications.once(teamId, `request:${request.id}:it-posted`, async () => {
        const inStock = await inStockFor(deps, teamId, request.item).catch(() => undefined);
        const posted = await client.chat.postMessage({
          channel,
          ...buildItRequestMessage(request, { ...ctx, inStock }),
        });
        if (posted.channel && posted.ts) {
          await deps.requests.attachItMessage(teamId, request.id, { channel: posted.channel, ts: posted.ts });
        }
      }),
    );
  } else {
    deps.logger.warn(
      { teamId, requestId: request.id },
      'no IT channel configured; IT sees the request on its home only',
    );
  }
  const outcomes = await Promise.allSettled(tasks);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      deps.logger.error({ err: outcome.reason, requestId: request.id }, 'could not announce a new request');
    }
  }
  // The IT post failed and its claim was given back: the requester must not believe IT was pinged in the
  // channel. The decision posts the missed message (request-decision.effects.ts), so it is not lost for good.
  if (outcomes[1]?.status === 'rejected') {
    await deps.notifications
      .once(teamId, `request:${request.id}:it-not-notified-dm`, async () => {
        await client.chat.postMessage({ channel: request.requesterId, ...itNotNotifiedDm(request) });
      })
      .catch((err: unknown) =>
        deps.logger.error(
          { err, requestId: request.id },
          'could not tell the requester that IT was not notified',
        ),
      );
  }
  await refreshHomes(deps, client, teamId, [request.requesterId], { itQueueChanged: true });
}

/** Carries a refused submission out of the ledger claim, so the claim is given back and a corrected form can go through. */
class RefusedRequest extends Error {
  constructor(readonly error: DomainError) {
    super(error.code);
  }
}

/** Request modal submitted: RequestService.submit (once per modal), field problems inline, then the announcements. */
export function registerRequestAssetView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.requestModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      await requireCapability(deps, teamId, userId, 'asset.request', 'request assets');
      const values = readViewValues(view.state.values);
      const parsed = requestFormSchema(deps.settings.timeZone).safeParse({
        item: values.option(BlockIds.requestItem, ActionIds.requestCatalogItem),
        kind: values.option(BlockIds.requestKind, ActionIds.requestKind),
        reason: values.text(BlockIds.requestReason, ActionIds.requestReason),
        neededBy: values.date(BlockIds.requestNeededBy, ActionIds.requestNeededBy),
        returnBy: values.date(BlockIds.requestReturnBy, ActionIds.requestReturnBy),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, formBlocks) };
      const item = await resolveChoice(deps, teamId, parsed.data.item);
      if (!item) {
        return {
          kind: 'errors',
          errors: { [BlockIds.requestItem]: 'That is no longer in the catalog. Pick again from the list.' },
        };
      }
      const input: NewRequestInput = {
        kind: parsed.data.kind,
        item,
        reason: parsed.data.reason,
        neededBy: parsed.data.neededBy,
        returnBy: parsed.data.returnBy,
      };
      let created: AssetRequest | undefined;
      try {
        // Keyed by the modal: a retried or doubled submission of the same form creates one request.
        await deps.notifications.once(teamId, `view:${view.id}:request-submitted`, async () => {
          const result = await deps.requests.submit(teamId, userId, input);
          if (!result.ok) throw new RefusedRequest(result.error);
          created = result.value;
        });
      } catch (err) {
        if (!(err instanceof RefusedRequest)) throw err;
        const fields = err.error.details['fields'];
        if (err.error.code === 'input.invalid' && fields && typeof fields === 'object') {
          const errors: Record<string, string> = {};
          for (const [field, message] of Object.entries(fields as Record<string, unknown>)) {
            const blockId = domainFieldBlocks[field];
            if (blockId && !errors[blockId]) errors[blockId] = String(message);
          }
          if (Object.keys(errors).length > 0) return { kind: 'errors', errors };
        }
        throw new DomainFailure(err.error);
      }
      const request = created;
      if (!request) return { kind: 'close' }; // the same form again: it already went through
      return { kind: 'close', after: () => announceNewRequest(deps, client, request) };
    });
  });
}
