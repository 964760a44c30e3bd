/**
 * The interactions whose cost must not grow with the inventory, each driven through the real app
 * with signed requests as Slack sends them. Shared by the scale benchmark and the documents-examined
 * test. Every step resolves after the app's follow-up work is done (the driver settles the app).
 */
import type { FakeSlack, RecordedCall, SlackRequestDriver } from '@custodian/fake-slack';
import type { RunningApplication } from '../../src/application.js';
import type { ScaleSeed } from './scale-seed.js';

export type InteractionKey =
  | 'findTag'
  | 'findText'
  | 'findPerson'
  | 'catalogOpen'
  | 'catalogTyped'
  | 'approveTypeahead'
  | 'itHome'
  | 'employeeHome'
  | 'submitRequest'
  | 'approve';

export const interactionLabels: Record<InteractionKey, string> = {
  findTag: '(a) /asset find <tag>',
  findText: '(b) /asset find <model word>',
  findPerson: '(c) /asset find <@person>',
  catalogOpen: '(d) catalog typeahead, on open',
  catalogTyped: '(d) catalog typeahead, typed',
  approveTypeahead: '(e) approve asset typeahead',
  itHome: '(f) IT home opened',
  employeeHome: '(g) employee home opened',
  submitRequest: '    request submitted (fan-out)',
  approve: '(h) approve submitted (fan-out)',
};

/** What one step took: the HTTP acknowledgement, and until the app's follow-up work was done. */
export interface StepTiming {
  ackMs: number;
  doneMs: number;
  calls: RecordedCall[];
}

export interface ScaleScene {
  app: RunningApplication;
  fake: FakeSlack;
  driver: SlackRequestDriver;
  seed: ScaleSeed;
  teamId: string;
  itChannelId: string;
}

async function timed(run: () => Promise<{ durationMs: number; calls: RecordedCall[] }>): Promise<StepTiming> {
  const started = performance.now();
  const result = await run();
  return { ackMs: result.durationMs, doneMs: performance.now() - started, calls: result.calls };
}

/** The simple interactions: one request each, repeatable any number of times. */
export function simpleInteractions(
  scene: ScaleScene,
): Partial<Record<InteractionKey, () => Promise<StepTiming>>> {
  const { driver, seed } = scene;
  const it = () => seed.itStaffIds[0]!;
  return {
    findTag: () =>
      timed(() => driver.slashCommand({ user: seed.employeeId, text: `find ${seed.sampleTag}` })),
    findText: () =>
      timed(() => driver.slashCommand({ user: seed.employeeId, text: `find ${seed.modelWord}` })),
    findPerson: () =>
      timed(() =>
        driver.slashCommand({ user: it(), text: `find <@${seed.employeeId}|person${seed.employeeId}>` }),
      ),
    itHome: () => timed(() => driver.openHome(it())),
    employeeHome: () => timed(() => driver.openHome(seed.employeeId)),
  };
}

/**
 * One employee request and its approval, step by step: the request modal's catalog typeahead (on
 * open and typed), the submission, IT's Approve button, the approve modal's asset typeahead and the
 * approval. `measure` wraps each step that is an interaction of its own (the modal openings are set-up).
 */
export async function requestAndApprove(
  scene: ScaleScene,
  approverId: string,
  measure: (key: InteractionKey, step: () => Promise<StepTiming>) => Promise<StepTiming>,
): Promise<void> {
  const { driver, seed, app, teamId, itChannelId } = scene;
  const requester = seed.requesterId;
  const opened = await driver.slashCommand({ user: requester, text: 'request' });
  if (!opened.calls.some((c) => c.method === 'views.open' && c.status === 200)) {
    throw new Error(
      `the request modal did not open: ${JSON.stringify(opened.calls.map((c) => [c.method, c.args]))} ${JSON.stringify(opened.body)}`,
    );
  }
  await measure('catalogOpen', () =>
    timed(() => driver.suggest({ user: requester, actionId: 'request_catalog_item', value: '' })),
  );
  let options: Array<{ text: { text: string }; value: string }> = [];
  await measure('catalogTyped', () =>
    timed(async () => {
      const result = await driver.suggest({
        user: requester,
        actionId: 'request_catalog_item',
        value: 'lapt',
      });
      options = result.options;
      return result;
    }),
  );
  const anyLaptop = options.find((o) => o.text.text.startsWith('Any Laptop')) ?? options[0];
  if (!anyLaptop) throw new Error('the catalog typeahead offered nothing for "lapt"');
  await measure('submitRequest', () =>
    timed(async () => {
      const submitted = await driver.submitView({
        user: requester,
        values: { item: anyLaptop.value, kind: 'permanent', reason: 'New starter' },
      });
      if (submitted.outcome !== 'closed')
        throw new Error(`the request was not accepted: ${JSON.stringify(submitted.errors)}`);
      return submitted;
    }),
  );
  const [request] = await app.database.repositories.requests.listByRequester(teamId, requester, ['pending']);
  const ts = request?.itMessage?.ts;
  if (!request || !ts) throw new Error('the request was not posted to the IT channel');
  await driver.pressButton({
    user: approverId,
    actionId: 'approve_request',
    message: { channel: itChannelId, ts },
  });
  let asset = '';
  await measure('approveTypeahead', () =>
    timed(async () => {
      const result = await driver.suggest({ user: approverId, actionId: 'approve_asset', value: '' });
      asset = result.options[0]?.value ?? '';
      return result;
    }),
  );
  if (!asset) throw new Error('the approve typeahead offered no asset');
  await measure('approve', () =>
    timed(async () => {
      const done = await driver.submitView({ user: approverId, values: { asset } });
      if (done.outcome !== 'closed')
        throw new Error(`the approval was not accepted: ${JSON.stringify(done.errors)}`);
      return done;
    }),
  );
}

/** Web API calls by method, e.g. `{ "views.publish": 50, "chat.update": 1 }`. */
export function callsByMethod(calls: RecordedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.method] = (counts[call.method] ?? 0) + 1;
  return counts;
}
