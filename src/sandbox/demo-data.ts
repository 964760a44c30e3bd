/**
 * The sandbox's demo company: people (with roles, departments and a manager with reports), channels,
 * assets across categories and states, and pending requests. Everything goes through the product's
 * own services, and through the real Slack flows (signed requests via the driver) where a flow exists,
 * so the demo shows what the product really does. Later issues add their records here.
 */
import type { RunningApplication } from '../application.js';
import type { NewAssetInput, Role } from '../domain/index.js';
import type { FakeSlack, NewFakeChannel, NewFakeUser, SlackRequestDriver } from '@custodian/fake-slack';
import type { AdjustableClock } from '../platform/clock.js';
import { endOfDayInZone, isoDayInZone } from '../platform/dates.js';
import type { Logger } from '../platform/logger.js';
import { buildSubcommands } from '../slack/commands/asset.command.js';
import { ActionIds, BlockIds } from '../slack/ids.js';

export interface DemoPerson extends NewFakeUser {
  id: string;
  name: string;
  real_name: string;
  title: string;
  /** What the person is in the demo, shown in the "who are you" picker. */
  persona: string;
  department: string;
  managerId?: string;
  roles: Role[];
}

export const demoPeople = {
  leo: {
    id: 'U0LEO00001',
    name: 'leo',
    real_name: 'Leo Park',
    email: 'leo@example.com',
    title: 'Software Engineer',
    persona: 'Employee',
    department: 'Engineering',
    managerId: 'U0MAYA0001',
    roles: ['employee'],
  },
  sara: {
    id: 'U0SARA0001',
    name: 'sara',
    real_name: 'Sara Ortiz',
    email: 'sara@example.com',
    title: 'Product Designer',
    persona: 'Employee',
    department: 'Engineering',
    managerId: 'U0MAYA0001',
    roles: ['employee'],
  },
  tom: {
    id: 'U0TOM00001',
    name: 'tom',
    real_name: 'Tom Becker',
    email: 'tom@example.com',
    title: 'Account Executive',
    persona: 'Employee',
    department: 'Sales',
    managerId: 'U0ADAM0001',
    roles: ['employee'],
  },
  maya: {
    id: 'U0MAYA0001',
    name: 'maya',
    real_name: 'Maya Chen',
    email: 'maya@example.com',
    title: 'Engineering Manager',
    persona: 'Manager (Leo, Sara)',
    department: 'Engineering',
    managerId: 'U0ADAM0001',
    roles: ['employee', 'manager'],
  },
  ivy: {
    id: 'U0IVY00001',
    name: 'ivy',
    real_name: 'Ivy Nguyen',
    email: 'ivy@example.com',
    title: 'IT Support',
    persona: 'IT',
    department: 'IT',
    managerId: 'U0ADAM0001',
    roles: ['employee', 'it'],
  },
  adam: {
    id: 'U0ADAM0001',
    name: 'adam',
    real_name: 'Adam Reyes',
    email: 'adam@example.com',
    title: 'Head of Operations',
    persona: 'Admin',
    department: 'Operations',
    roles: ['employee', 'admin'],
  },
} satisfies Record<string, DemoPerson>;

export type DemoPersonKey = keyof typeof demoPeople;

const itStaffIds = [demoPeople.ivy.id, demoPeople.adam.id];

export const demoChannels = {
  it: { id: 'C0ITREQUESTS', name: 'it-requests', members: itStaffIds, isPrivate: true, botIsMember: true },
  alerts: { id: 'C0ITALERTS', name: 'it-alerts', members: itStaffIds, isPrivate: true, botIsMember: true },
} satisfies Record<string, NewFakeChannel & { id: string }>;

export const demoAdminIds = Object.values(demoPeople as Record<string, DemoPerson>)
  .filter((p) => p.roles.includes('admin'))
  .map((p) => p.id);

/** The Slack users of the demo workspace, as the fake's directory holds them. */
export function demoSlackUsers(): NewFakeUser[] {
  return Object.values(demoPeople as Record<string, DemoPerson>).map((p) => ({
    id: p.id,
    name: p.name,
    real_name: p.real_name,
    ...(p.email === undefined ? {} : { email: p.email }),
    title: p.title,
    tz: 'Europe/London',
  }));
}

type DemoAsset = NewAssetInput;

const asset = (
  tag: string,
  name: string,
  category: string,
  model: string,
  serial: string,
  location: string,
): DemoAsset => ({ tag, name, category, model, serial, location });

/** Stock across categories; what happens to each one is in `seedDemoData`. */
export const demoAssets: DemoAsset[] = [
  asset('LAP-001', 'MacBook Pro 14', 'Laptop', 'MacBook Pro 14', 'C02XK1ABMD6T', 'HQ, IT room'),
  asset('LAP-002', 'MacBook Pro 14', 'Laptop', 'MacBook Pro 14', 'C02XK1ABMD7Q', 'HQ, IT room'),
  asset('LAP-003', 'MacBook Pro 14', 'Laptop', 'MacBook Pro 14', 'C02XK1ABMD8R', 'HQ, IT room'),
  asset('LAP-004', 'Dell XPS 13', 'Laptop', 'XPS 13 9340', 'DXPS13-55821', 'HQ, IT room'),
  asset('LAP-005', 'ThinkPad X1 Carbon', 'Laptop', 'X1 Carbon Gen 11', 'PF3TX1C-0932', 'HQ, IT room'),
  asset('LAP-006', 'MacBook Air 13 (2019)', 'Laptop', 'MacBook Air 13', 'FVFZ01AIR13', 'Storage'),
  asset('LAP-007', 'ThinkPad X1 Carbon', 'Laptop', 'X1 Carbon Gen 11', 'PF3TX1C-0977', 'HQ, IT room'),
  asset('PHN-001', 'iPhone 15', 'Phone', 'iPhone 15', 'F17HX15A001', 'HQ, IT room'),
  asset('PHN-002', 'Pixel 8', 'Phone', 'Pixel 8', 'GPX8-44120', 'HQ, IT room'),
  asset('PHN-003', 'iPhone 13', 'Phone', 'iPhone 13', 'F17HX13B554', 'HQ, IT room'),
  asset('PHN-004', 'iPhone 15', 'Phone', 'iPhone 15', 'F17HX15A002', 'HQ, IT room'),
  asset('MON-001', 'Dell UltraSharp 27', 'Monitor', 'U2723QE', 'CN-0U27-1001', 'HQ, 2nd floor'),
  asset('MON-002', 'Dell UltraSharp 27', 'Monitor', 'U2723QE', 'CN-0U27-1002', 'HQ, 2nd floor'),
  asset('MON-003', 'LG UltraWide 34', 'Monitor', '34WN80C', 'LG34-77310', 'HQ, 2nd floor'),
  asset('MON-004', 'Dell UltraSharp 27', 'Monitor', 'U2723QE', 'CN-0U27-1004', 'HQ, 2nd floor'),
  asset(
    'LIC-001',
    'Adobe Creative Cloud seat',
    'Licence',
    'Creative Cloud All Apps',
    'ACC-SEAT-01',
    'Online',
  ),
  asset('LIC-002', 'JetBrains All Products seat', 'Licence', 'All Products Pack', 'JB-APP-01', 'Online'),
  asset('LIC-003', 'JetBrains All Products seat', 'Licence', 'All Products Pack', 'JB-APP-02', 'Online'),
  asset('LIC-004', 'Figma Professional seat', 'Licence', 'Figma Professional', 'FIG-PRO-01', 'Online'),
];

export interface DemoContext {
  app: RunningApplication;
  fake: FakeSlack;
  driver: SlackRequestDriver;
  clock: AdjustableClock;
  timeZone: string;
  logger: Logger;
}

const dayMs = 24 * 60 * 60 * 1000;

function unwrap<T>(what: string, result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`demo data: ${what} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/**
 * Seeds the demo company into an empty database and a fresh fake workspace. Past events are
 * recorded at past dates by moving the app's clock back and forward again, so histories and due
 * dates read naturally (one laptop is a week overdue).
 */
export async function seedDemoData(ctx: DemoContext): Promise<void> {
  const { app, clock } = ctx;
  const { people, assets } = app.services;
  const p = demoPeople;
  const as = (userId: string) => actor(ctx, userId);

  // The demo admin is bootstrapped by ADMIN_USER_IDS; everyone else's roles and reporting lines are set by them.
  const admin = await as(p.adam.id);
  for (const person of Object.values(p as Record<string, DemoPerson>)) {
    await as(person.id);
    unwrap(`roles of ${person.id}`, await people.setRoles(admin, person.id, person.roles));
    unwrap(
      `organisation of ${person.id}`,
      await people.setOrganisation(admin, person.id, {
        department: person.department,
        managerSlackUserId: person.managerId,
      }),
    );
  }
  const ivy = await as(p.ivy.id);

  const at = async (daysAgo: number, step: () => Promise<void>) => {
    clock.advance(-daysAgo * dayMs);
    try {
      await step();
    } finally {
      clock.advance(daysAgo * dayMs);
    }
  };
  const checkOut = async (tag: string, holder: string, dueInDays?: number, note?: string) =>
    unwrap(
      `checking out ${tag}`,
      await assets.checkOut(ivy, {
        tag,
        holderId: holder,
        dueBackAt: dueInDays === undefined ? undefined : new Date(clock.now().getTime() + dueInDays * dayMs),
        note,
      }),
    );

  await at(90, async () => {
    for (const item of demoAssets) unwrap(`registering ${item.tag}`, await assets.register(ivy, item));
  });
  await at(30, async () => {
    await checkOut('LAP-002', p.leo.id, undefined, 'New starter kit');
    await checkOut('LIC-002', p.leo.id);
    await checkOut('PHN-001', p.maya.id);
    await checkOut('LIC-001', p.sara.id);
    await checkOut('MON-002', p.sara.id, 60, 'Home office');
    await checkOut('PHN-003', p.tom.id);
    // A three-week loan that ended a week ago: overdue from the start.
    await checkOut('LAP-004', p.tom.id, 23, 'Loan while his laptop is repaired');
    unwrap('LAP-005 to repair', await assets.sendToRepair(ivy, 'LAP-005', 'Keyboard replacement'));
    unwrap('retiring LAP-006', await assets.retire(ivy, 'LAP-006', 'Battery swollen, end of life'));
  });
  await at(10, async () => {
    await checkOut('MON-003', p.sara.id, 24, 'Loan for the design sprint');
    unwrap(
      'PHN-003 lost',
      await assets.reportProblem(await as(p.tom.id), {
        tag: 'PHN-003',
        problem: 'lost',
        note: 'Left it in a taxi',
      }),
    );
  });

  await startReturn(ctx, p.sara.id, 'MON-002');
  await submitRequest(ctx, p.sara.id, {
    query: 'Laptop',
    kind: 'loan',
    reason: 'Travelling to the Lisbon conference; my laptop stays in the office for the design lab.',
    returnInDays: 14,
  });
  await submitRequest(ctx, p.tom.id, {
    query: 'Monitor',
    kind: 'permanent',
    reason: 'Second screen for client demos from my desk.',
    returnInDays: undefined,
  });
}

async function actor(ctx: DemoContext, userId: string) {
  const person = await ctx.app.services.people.resolve(ctx.fake.teamId, userId);
  if (!person) throw new Error(`demo data: the fake directory does not know ${userId}`);
  return person;
}

function hasSubcommand(name: string): boolean {
  return buildSubcommands().some((sub) => sub.name === name);
}

/** A return as the holder starts it: `/asset return <tag>` when that flow exists, else the service. */
async function startReturn(ctx: DemoContext, holderId: string, tag: string): Promise<void> {
  if (hasSubcommand('return')) {
    try {
      await ctx.driver.slashCommand({ user: holderId, text: `return ${tag}` });
      const after = await ctx.app.services.assets.byTag(await actor(ctx, holderId), tag);
      if (after.ok && after.value.status === 'pending_return') return;
      ctx.logger.warn({ tag }, 'demo data: /asset return did not start the return; using the service');
    } catch (err) {
      ctx.logger.warn({ err, tag }, 'demo data: /asset return failed; using the service');
    }
  }
  unwrap(
    `starting the return of ${tag}`,
    await ctx.app.services.assets.startReturn(await actor(ctx, holderId), tag),
  );
}

interface DemoRequest {
  /** What the requester types into the catalog typeahead. */
  query: string;
  kind: 'loan' | 'permanent';
  reason: string;
  returnInDays: number | undefined;
}

/**
 * A request as an employee makes it: `/asset request`, the catalog typeahead, the modal submitted,
 * so the app DMs the requester and posts to the IT channel itself. Without that flow (or if it
 * refuses the demo's answers) the request is created through the service, without Slack messages.
 */
async function submitRequest(ctx: DemoContext, requesterId: string, request: DemoRequest): Promise<void> {
  const returnBy =
    request.returnInDays === undefined
      ? undefined
      : isoDayInZone(new Date(ctx.clock.now().getTime() + request.returnInDays * dayMs), ctx.timeZone);
  if (hasSubcommand('request')) {
    try {
      await requestThroughSlack(ctx, requesterId, request, returnBy);
      return;
    } catch (err) {
      ctx.fake.workspace.closeAllModals(requesterId);
      ctx.logger.warn(
        { err, requesterId },
        'demo data: the request flow did not take the demo request; using the service',
      );
    }
  }
  const [category, model] = catalogChoiceFor(request.query);
  unwrap(
    'submitting a request',
    await ctx.app.services.requests.submit(await actor(ctx, requesterId), {
      kind: request.kind,
      item: { category, model },
      reason: request.reason,
      neededBy: undefined,
      returnBy: returnBy === undefined ? undefined : endOfDayInZone(returnBy, ctx.timeZone),
    }),
  );
}

function catalogChoiceFor(query: string): [string, string | undefined] {
  const match = demoAssets.find((a) => a.category === query || a.model === query);
  if (!match) throw new Error(`demo data: nothing in the demo catalog matches ${query}`);
  return match.category === query ? [match.category, undefined] : [match.category, match.model];
}

async function requestThroughSlack(
  ctx: DemoContext,
  requesterId: string,
  request: DemoRequest,
  returnBy: string | undefined,
): Promise<void> {
  const { driver, fake } = ctx;
  await driver.slashCommand({ user: requesterId, text: 'request' });
  const modal = fake.topModal(requesterId);
  if (!modal) throw new Error('/asset request opened no modal');
  const suggestion = await driver.suggest({
    user: requesterId,
    viewId: modal.id,
    actionId: ActionIds.requestCatalogItem,
    value: request.query,
  });
  const option = suggestion.options.find((o) => o.text.text.includes(request.query)) ?? suggestion.options[0];
  if (!option) throw new Error(`the catalog offered nothing for ${request.query}`);

  const kindBlock = fake.topModal(requesterId)?.blocks.find((b) => b.block_id === BlockIds.requestKind);
  const kindElement = kindBlock?.element as { options?: Array<{ value: string }> } | undefined;
  const kindValue = kindElement?.options?.find((o) => o.value.includes(request.kind))?.value;
  if (kindBlock?.dispatch_action === true && kindValue !== undefined) {
    // The modal changes with the kind (return-by appears for loans): pick it the way a person does.
    await driver.selectOption({
      user: requesterId,
      view: modal.id,
      actionId: ActionIds.requestKind,
      value: kindValue,
    });
  }
  const current = fake.topModal(requesterId);
  if (!current) throw new Error('the request modal closed unexpectedly');
  const blockIds = new Set(current.blocks.map((b) => b.block_id));
  const values: Record<string, string | { text: string; value: string }> = {
    [BlockIds.requestItem]: { text: option.text.text, value: option.value },
    [BlockIds.requestReason]: request.reason,
  };
  if (kindValue !== undefined && blockIds.has(BlockIds.requestKind)) values[BlockIds.requestKind] = kindValue;
  if (returnBy !== undefined && blockIds.has(BlockIds.requestReturnBy))
    values[BlockIds.requestReturnBy] = returnBy;
  const submitted = await driver.submitView({ user: requesterId, viewId: current.id, values });
  if (submitted.outcome === 'errors')
    throw new Error(`the request modal refused: ${JSON.stringify(submitted.errors)}`);
  if (fake.topModal(requesterId)) fake.workspace.closeAllModals(requesterId);
}
