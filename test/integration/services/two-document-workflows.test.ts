import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { AssetService } from '../../../src/services/asset-service.js';
import { RequestService } from '../../../src/services/request-service.js';
import { TransferService } from '../../../src/services/transfer-service.js';
import { AdjustableClock } from '../../../src/platform/clock.js';
import { planTransition } from '../../../src/domain/index.js';

const team = 'T1';
const requester = 'U0REQ0001';
const approver = 'U0APP0001';
const otherApprover = 'U0APP0002';

let testDb: TestDatabase;
let db: Database;
let clock: AdjustableClock;
let assets: AssetService;
let requests: RequestService;
let transfers: TransferService;
let tagCounter = 0;

beforeAll(async () => {
  testDb = await createTestDatabase('two_doc');
  db = await openDatabase(testDb.uri);
  clock = new AdjustableClock(new Date('2026-11-03T09:00:00Z'));
  assets = new AssetService({ assets: db.repositories.assets, clock });
  requests = new RequestService({
    requests: db.repositories.requests,
    assets: db.repositories.assets,
    clock,
  });
  transfers = new TransferService({
    transfers: db.repositories.transfers,
    assets: db.repositories.assets,
    clock,
  });
});

afterAll(async () => {
  await db?.close();
  await testDb?.stop();
});

let tag: string;
let requestId: string;

beforeEach(async () => {
  tag = `LAP-${++tagCounter}`;
  const registered = await assets.register(team, approver, {
    tag,
    serial: undefined,
    name: 'MacBook',
    category: 'Laptop',
    model: 'MBP 14',
    location: undefined,
  });
  if (!registered.ok) throw new Error('seed failed');
  const submitted = await requests.submit(team, requester, {
    kind: 'permanent',
    item: { category: 'Laptop', model: undefined },
    reason: 'new starter',
    neededBy: undefined,
    returnBy: undefined,
  });
  if (!submitted.ok) throw new Error('seed failed');
  requestId = submitted.value.id;
});

async function historyOf(t: string) {
  const page = await db.repositories.assets.historyPage(team, t, { offset: 0, limit: 50 });
  return page!.items;
}

describe('approving a request (request + asset)', () => {
  it('claims, checks out and finishes, recording the request on the asset', async () => {
    const result = await requests.approve(team, requestId, approver, {
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
    const retried = await requests.approve(team, requestId, approver, {
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

    const retried = await requests.approve(team, requestId, approver, {
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
    const early = await requests.approve(team, requestId, otherApprover, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(early.ok ? null : early.error.code).toBe('request.not_pending');
    clock.advance(3 * 60 * 1000);
    const late = await requests.approve(team, requestId, otherApprover, {
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
    await requests.approve(team, requestId, approver, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    const again = await requests.approve(team, requestId, approver, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(again.ok && again.value.alreadyDone).toBe(true);
    expect((await historyOf(tag)).filter((e) => e.action === 'checked_out')).toHaveLength(1);
  });

  it('when the chosen asset was taken meanwhile, the claim is released and the approver told who has it', async () => {
    const other = await requests.submit(team, 'U0OTHER01', {
      kind: 'permanent',
      item: { category: 'Laptop', model: undefined },
      reason: 'second',
      neededBy: undefined,
      returnBy: undefined,
    });
    if (!other.ok) throw new Error('seed');
    const first = await requests.approve(team, other.value.id, otherApprover, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(first.ok).toBe(true);
    const second = await requests.approve(team, requestId, approver, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(second.ok ? null : second.error).toMatchObject({
      code: 'asset.transition_forbidden',
      details: { holderId: 'U0OTHER01' },
    });
    expect((await db.repositories.requests.findById(team, requestId))?.status).toBe('pending');
  });

  it('nobody approves their own request', async () => {
    const own = await requests.approve(team, requestId, requester, {
      assetTag: tag,
      dueBackAt: undefined,
      note: undefined,
    });
    expect(own.ok ? null : own.error.code).toBe('request.self_approval');
  });
});

describe('accepting a transfer (transfer + asset)', () => {
  const from = 'U0FROM001';
  const to = 'U0TO00001';

  beforeEach(async () => {
    const out = await assets.checkOut(team, tag, approver, from, undefined);
    if (!out.ok) throw new Error('seed');
  });

  it('moves custody only on accept, with the transfer id in the history', async () => {
    const offered = await transfers.offer(team, tag, from, to, 'yours now');
    expect(offered.ok).toBe(true);
    if (!offered.ok) return;
    expect((await db.repositories.assets.findByTag(team, tag))?.holderId).toBe(from);
    const accepted = await transfers.accept(team, offered.value.transfer.id, to);
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
    const offered = await transfers.offer(team, tag, from, to, undefined);
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
    const retried = await transfers.accept(team, t.id, to);
    expect(retried.ok && retried.value.alreadyDone).toBe(true);
    expect((await db.repositories.transfers.findById(team, t.id))?.status).toBe('accepted');
    expect((await historyOf(tag)).filter((e) => e.action === 'transferred')).toHaveLength(1);
  });

  it('only one open transfer per asset; only the recipient accepts; the sender may cancel', async () => {
    const offered = await transfers.offer(team, tag, from, to, undefined);
    if (!offered.ok) throw new Error('offer');
    const second = await transfers.offer(team, tag, from, 'U0THIRD01', undefined);
    expect(second.ok ? null : second.error.code).toBe('transfer.already_open');
    const wrong = await transfers.accept(team, offered.value.transfer.id, 'U0THIRD01');
    expect(wrong.ok ? null : wrong.error.code).toBe('transfer.not_recipient');
    const cancelled = await transfers.cancel(team, offered.value.transfer.id, from);
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    const late = await transfers.accept(team, offered.value.transfer.id, to);
    expect(late.ok ? null : late.error).toMatchObject({
      code: 'transfer.not_pending',
      details: { status: 'cancelled' },
    });
  });

  it('a transfer whose asset was checked in meanwhile is voided on accept', async () => {
    const offered = await transfers.offer(team, tag, from, to, undefined);
    if (!offered.ok) throw new Error('offer');
    await assets.checkIn(team, tag, approver, 'good');
    const accepted = await transfers.accept(team, offered.value.transfer.id, to);
    expect(accepted.ok ? null : accepted.error.code).toBe('transfer.voided');
    expect((await db.repositories.transfers.findById(team, offered.value.transfer.id))?.status).toBe(
      'voided',
    );
    expect((await db.repositories.assets.findByTag(team, tag))?.status).toBe('available');
  });
});
