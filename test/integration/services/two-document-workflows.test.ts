import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { AssetService } from '../../../src/services/asset-service.js';
import type { Notice, Notifier } from '../../../src/services/notifier.js';
import { PeopleService } from '../../../src/services/people-service.js';
import type { DirectoryProfile, SlackDirectory } from '../../../src/services/ports.js';
import { RequestService } from '../../../src/services/request-service.js';
import { TransferService } from '../../../src/services/transfer-service.js';
import { AdjustableClock } from '../../../src/platform/clock.js';
import { createLogger } from '../../../src/platform/logger.js';
import { planTransition, type Person, type Role } from '../../../src/domain/index.js';

const team = 'T1';
const requester = 'U0REQ0001';
const approver = 'U0APP0001';
const otherApprover = 'U0APP0002';
const otherRequester = 'U0OTHER01';
const from = 'U0FROM001';
const to = 'U0TO00001';
const third = 'U0THIRD01';

/** The Slack directory port, knowing exactly the people these tests use. */
class InTestDirectory implements SlackDirectory {
  private readonly known = new Set([requester, approver, otherApprover, otherRequester, from, to, third]);

  lookupUser(_teamId: string, slackUserId: string): Promise<DirectoryProfile | undefined> {
    if (!this.known.has(slackUserId)) return Promise.resolve(undefined);
    return Promise.resolve({
      slackUserId,
      name: slackUserId.toLowerCase(),
      displayName: slackUserId,
      email: `${slackUserId.toLowerCase()}@example.com`,
      title: undefined,
      timeZone: 'UTC',
      deactivated: false,
      isBot: false,
    });
  }
}

/** Records what the services would have told the outside world. */
class RecordingNotifier implements Notifier {
  readonly notices: Notice[] = [];

  notify(notice: Notice): void {
    this.notices.push(notice);
  }
}

let testDb: TestDatabase;
let db: Database;
let clock: AdjustableClock;
let people: PeopleService;
let notifier: RecordingNotifier;
let assets: AssetService;
let requests: RequestService;
let transfers: TransferService;
let tagCounter = 0;

beforeAll(async () => {
  testDb = await createTestDatabase('two_doc');
  db = await openDatabase(testDb.uri);
  clock = new AdjustableClock(new Date('2026-11-03T09:00:00Z'));
  notifier = new RecordingNotifier();
  people = new PeopleService({
    people: db.repositories.people,
    directory: new InTestDirectory(),
    clock,
    adminUserIds: [],
    logger: createLogger({ level: 'silent' }),
  });
  assets = new AssetService({ assets: db.repositories.assets, people, notifier, clock });
  requests = new RequestService({
    requests: db.repositories.requests,
    assets: db.repositories.assets,
    notifier,
    clock,
  });
  transfers = new TransferService({
    transfers: db.repositories.transfers,
    assets: db.repositories.assets,
    people,
    notifier,
    clock,
  });
  for (const staff of [approver, otherApprover]) await withRoles(staff, ['employee', 'it']);
});

afterAll(async () => {
  await db?.close();
  await testDb?.stop();
});

/** Gives someone roles, as an admin would, straight through the repository. */
async function withRoles(userId: string, roles: Role[]): Promise<void> {
  await as(userId);
  await db.repositories.people.setRoles(team, userId, roles);
}

/** The acting person, resolved the way the app resolves them. */
async function as(userId: string): Promise<Person> {
  const person = await people.resolve(team, userId);
  if (!person) throw new Error(`unknown person ${userId}`);
  return person;
}

let tag: string;
let requestId: string;

beforeEach(async () => {
  notifier.notices.length = 0;
  tag = `LAP-${++tagCounter}`;
  const registered = await assets.register(await as(approver), {
    tag,
    serial: undefined,
    name: 'MacBook',
    category: 'Laptop',
    model: 'MBP 14',
    location: undefined,
  });
  if (!registered.ok) throw new Error('seed failed');
  const submitted = await requests.submit(await as(requester), {
    kind: 'permanent',
    item: { category: 'Laptop', model: undefined },
    reason: 'new starter',
    neededBy: undefined,
    returnBy: undefined,
  });
  if (!submitted.ok) throw new Error('seed failed');
  requestId = submitted.value.request.id;
});

async function historyOf(t: string) {
  const page = await db.repositories.assets.historyPage(team, t, { offset: 0, limit: 50 });
  return page!.items;
}

describe('approving a request (request + asset)', () => {
  it('claims, checks out and finishes, recording the request on the asset', async () => {
    const result = await requests.approve(await as(approver), requestId, {
      assetTag: tag,
      dueBackAt: undefined,
      note: 'enjoy',
    });
    expect(result.ok).toBe(true);
    const request = await db.repositories.requests.findById(team, requestId);
    expect(request).toMatchObject({ status: 'approved', approval: { approverId: approver, assetTag: tag } });
    const asset = await db.repositories.assets.findByTag(team, tag);
    expect(asset).toMatchObject({ status: 'checked_out', holderId: requester });
    expect((await historyOf(tag))[0]).toMatchObject({ action: 'checked_out', requestId, note: 'enjoy' });
    expect(notifier.notices.map((n) => n.kind)).toEqual([
      'asset.registered',
      'request.submitted',
      'request.approved',
    ]);
  });

  it('after a crash between claim and checkout, the next attempt completes it', async () => {
    const asset = (await db.repositories.assets.findByTag(team, tag))!;
    // Step 1 only, as a crashed approval would have left it.
    await db.repositories.requests.claimApproval(team, requestId, {
      approverId: approver,
      assetId: asset.id,
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
      claimedAt: clock.now(),
      approvedAt: undefined,
    });
    const retried = await requests.approve(await as(approver), requestId, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(retried.ok).toBe(true);
    expect((await db.repositories.requests.findById(team, requestId))?.status).toBe('approved');
    expect((await historyOf(tag)).filter((e) => e.action === 'checked_out')).toHaveLength(1);
  });

  it('after a crash between checkout and finish, the next attempt only finishes it', async () => {
    const asset = (await db.repositories.assets.findByTag(team, tag))!;
    await db.repositories.requests.claimApproval(team, requestId, {
      approverId: approver,
      assetId: asset.id,
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
      claimedAt: clock.now(),
      approvedAt: undefined,
    });
    const plan = planTransition(
      asset,
      { kind: 'check_out', holderId: requester, dueBackAt: undefined, requestId },
      { actorId: approver, now: clock.now() },
    );
    if (!plan.ok) throw new Error('plan failed');
    await db.repositories.assets.applyTransition(team, asset.id, plan.value);

    const retried = await requests.approve(await as(approver), requestId, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(retried.ok && retried.value.alreadyDone).toBe(true);
    expect((await db.repositories.requests.findById(team, requestId))?.status).toBe('approved');
    expect((await historyOf(tag)).filter((e) => e.action === 'checked_out')).toHaveLength(1);
  });

  it('an abandoned claim is taken over by another approver once it is stale, not before', async () => {
    const asset = (await db.repositories.assets.findByTag(team, tag))!;
    await db.repositories.requests.claimApproval(team, requestId, {
      approverId: approver,
      assetId: asset.id,
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
      claimedAt: clock.now(),
      approvedAt: undefined,
    });
    const early = await requests.approve(await as(otherApprover), requestId, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(early.ok ? null : early.error.code).toBe('request.not_pending');
    clock.advance(3 * 60 * 1000);
    const late = await requests.approve(await as(otherApprover), requestId, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(late.ok).toBe(true);
    expect((await db.repositories.requests.findById(team, requestId))?.approval?.approverId).toBe(
      otherApprover,
    );
  });

  it('a replayed approval reports success and changes nothing', async () => {
    await requests.approve(await as(approver), requestId, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    const again = await requests.approve(await as(approver), requestId, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(again.ok && again.value.alreadyDone).toBe(true);
    expect((await historyOf(tag)).filter((e) => e.action === 'checked_out')).toHaveLength(1);
  });

  it('when the chosen asset was taken meanwhile, the claim is released and the approver told who has it', async () => {
    const other = await requests.submit(await as(otherRequester), {
      kind: 'permanent',
      item: { category: 'Laptop', model: undefined },
      reason: 'second',
      neededBy: undefined,
      returnBy: undefined,
    });
    if (!other.ok) throw new Error('seed');
    const first = await requests.approve(await as(otherApprover), other.value.request.id, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(first.ok).toBe(true);
    const second = await requests.approve(await as(approver), requestId, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(second.ok ? null : second.error).toMatchObject({
      code: 'asset.transition_forbidden',
      details: { holderId: otherRequester },
    });
    expect((await db.repositories.requests.findById(team, requestId))?.status).toBe('pending');
  });

  it('nobody approves their own request', async () => {
    // Even IT staff: the requester is given the role so the self-approval rule, not the role, refuses.
    await withRoles(requester, ['employee', 'it']);
    try {
      const own = await requests.approve(await as(requester), requestId, {
        assetTag: tag,
        dueBackAt: undefined,
        note: undefined,
      });
      expect(own.ok ? null : own.error.code).toBe('request.self_approval');
    } finally {
      await withRoles(requester, ['employee']);
    }
  });
});

describe('accepting a transfer (transfer + asset)', () => {
  beforeEach(async () => {
    const out = await assets.checkOut(await as(approver), { tag, holderId: from, dueBackAt: undefined });
    if (!out.ok) throw new Error('seed');
  });

  it('moves custody only on accept, with the transfer id in the history', async () => {
    const offered = await transfers.offer(await as(from), { tag, toId: to, note: 'yours now' });
    expect(offered.ok).toBe(true);
    if (!offered.ok) return;
    expect((await db.repositories.assets.findByTag(team, tag))?.holderId).toBe(from);
    const accepted = await transfers.accept(await as(to), offered.value.transfer.id);
    expect(accepted.ok).toBe(true);
    expect((await db.repositories.assets.findByTag(team, tag))?.holderId).toBe(to);
    expect((await historyOf(tag))[0]).toMatchObject({
      action: 'transferred',
      fromHolderId: from,
      toHolderId: to,
      transferId: offered.value.transfer.id,
    });
  });

  it('after a crash between moving the asset and finishing, the next accept only finishes', async () => {
    const offered = await transfers.offer(await as(from), { tag, toId: to, note: undefined });
    if (!offered.ok) throw new Error('offer');
    const t = offered.value.transfer;
    await db.repositories.transfers.changeStatus(team, t.id, ['pending'], 'accepting', clock.now());
    const asset = (await db.repositories.assets.findByTag(team, tag))!;
    const plan = planTransition(
      asset,
      { kind: 'transfer', toHolderId: to, transferId: t.id },
      { actorId: to, now: clock.now() },
    );
    if (!plan.ok) throw new Error('plan');
    await db.repositories.assets.applyTransition(team, asset.id, plan.value);
    const retried = await transfers.accept(await as(to), t.id);
    expect(retried.ok && retried.value.alreadyDone).toBe(true);
    expect((await db.repositories.transfers.findById(team, t.id))?.status).toBe('accepted');
    expect((await historyOf(tag)).filter((e) => e.action === 'transferred')).toHaveLength(1);
  });

  it('only one open transfer per asset; only the recipient accepts; the sender may cancel', async () => {
    const offered = await transfers.offer(await as(from), { tag, toId: to, note: undefined });
    if (!offered.ok) throw new Error('offer');
    const second = await transfers.offer(await as(from), { tag, toId: third, note: undefined });
    expect(second.ok ? null : second.error.code).toBe('transfer.already_open');
    const wrong = await transfers.accept(await as(third), offered.value.transfer.id);
    expect(wrong.ok ? null : wrong.error.code).toBe('transfer.not_recipient');
    const cancelled = await transfers.cancel(await as(from), offered.value.transfer.id);
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    const late = await transfers.accept(await as(to), offered.value.transfer.id);
    expect(late.ok ? null : late.error).toMatchObject({
      code: 'transfer.not_pending',
      details: { status: 'cancelled' },
    });
  });

  it('a transfer whose asset was checked in meanwhile is voided on accept', async () => {
    const offered = await transfers.offer(await as(from), { tag, toId: to, note: undefined });
    if (!offered.ok) throw new Error('offer');
    await assets.checkIn(await as(approver), { tag, condition: 'good' });
    const accepted = await transfers.accept(await as(to), offered.value.transfer.id);
    expect(accepted.ok ? null : accepted.error.code).toBe('transfer.voided');
    expect((await db.repositories.transfers.findById(team, offered.value.transfer.id))?.status).toBe(
      'voided',
    );
    expect((await db.repositories.assets.findByTag(team, tag))?.status).toBe('available');
  });
});
