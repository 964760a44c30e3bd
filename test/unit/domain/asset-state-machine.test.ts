import { describe, expect, it } from '@jest/globals';
import {
  allowedFrom,
  assetStatuses,
  isOverdue,
  daysOverdue,
  normalizeTag,
  planTransition,
} from '../../../src/domain/index.js';
import type { AssetCommand, AssetStatus } from '../../../src/domain/index.js';

const now = new Date('2026-11-03T10:00:00Z');
const ctx = { actorId: 'UIT', now };

function asset(status: AssetStatus, holderId?: string) {
  return {
    tag: 'LAP-1',
    status,
    holderId,
    checkedOutAt: holderId ? new Date('2026-11-01T09:00:00Z') : undefined,
    dueBackAt: undefined,
  };
}

const commands: AssetCommand[] = [
  { kind: 'check_out', holderId: 'U1', dueBackAt: undefined },
  { kind: 'start_return' },
  { kind: 'confirm_return', condition: 'good' },
  { kind: 'check_in', condition: 'good' },
  { kind: 'transfer', toHolderId: 'U2' },
  { kind: 'report_problem', problem: 'damaged' },
  { kind: 'send_to_repair' },
  { kind: 'complete_repair' },
  { kind: 'mark_found' },
  { kind: 'retire' },
];

describe('asset state machine', () => {
  it('checks an available asset out to a person with a due date and records who did it', () => {
    const due = new Date('2026-12-01T00:00:00Z');
    const plan = planTransition(
      asset('available'),
      { kind: 'check_out', holderId: 'U1', dueBackAt: due },
      ctx,
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.expect).toEqual({ status: 'available', holderId: undefined });
    expect(plan.value.set).toMatchObject({
      status: 'checked_out',
      holderId: 'U1',
      checkedOutAt: now,
      dueBackAt: due,
    });
    expect(plan.value.entry).toMatchObject({
      action: 'checked_out',
      actorId: 'UIT',
      fromStatus: 'available',
      toStatus: 'checked_out',
      toHolderId: 'U1',
      at: now,
    });
  });

  it('refuses to check out an asset that is already checked out, saying to whom and since when', () => {
    const plan = planTransition(
      asset('checked_out', 'U9'),
      { kind: 'check_out', holderId: 'U1', dueBackAt: undefined },
      ctx,
    );
    expect(plan).toEqual({
      ok: false,
      error: {
        code: 'asset.transition_forbidden',
        details: {
          tag: 'LAP-1',
          status: 'checked_out',
          holderId: 'U9',
          since: new Date('2026-11-01T09:00:00Z'),
          attempted: 'check_out',
        },
      },
    });
  });

  it('refuses a due date in the past', () => {
    const plan = planTransition(
      asset('available'),
      { kind: 'check_out', holderId: 'U1', dueBackAt: new Date('2026-11-01T00:00:00Z') },
      ctx,
    );
    expect(plan.ok).toBe(false);
    if (!plan.ok)
      expect(plan.error).toEqual({ code: 'input.invalid', details: { field: 'due', reason: 'due_in_past' } });
  });

  it.each(assetStatuses.flatMap((status) => commands.map((command) => [status, command] as const)))(
    'from %s, %j is allowed exactly when the transition table says so',
    (status, command) => {
      const holder =
        status === 'checked_out' || status === 'pending_return' || status === 'lost' ? 'UIT' : undefined;
      const plan = planTransition(asset(status, holder), command, ctx);
      const allowed = allowedFrom[command.kind].includes(status);
      if (!allowed) expect(plan.ok ? 'allowed' : plan.error.code).toBe('asset.transition_forbidden');
      else expect(plan.ok ? 'allowed' : plan.error.code).not.toBe('asset.transition_forbidden');
    },
  );

  it('only the holder can start a return', () => {
    const plan = planTransition(asset('checked_out', 'U1'), { kind: 'start_return' }, { actorId: 'U2', now });
    expect(plan.ok ? null : plan.error.code).toBe('asset.not_holder');
    const own = planTransition(asset('checked_out', 'U1'), { kind: 'start_return' }, { actorId: 'U1', now });
    expect(own.ok && own.value.set.status).toBe('pending_return');
  });

  it('a return confirmed in good condition makes the asset available; damaged sends it to repair', () => {
    const good = planTransition(
      asset('pending_return', 'U1'),
      { kind: 'confirm_return', condition: 'good' },
      ctx,
    );
    const damaged = planTransition(
      asset('pending_return', 'U1'),
      { kind: 'confirm_return', condition: 'damaged' },
      ctx,
    );
    expect(good.ok && good.value.set.status).toBe('available');
    expect(good.ok && good.value.unset).toEqual(['holderId', 'checkedOutAt', 'dueBackAt']);
    expect(damaged.ok && damaged.value.set.status).toBe('in_repair');
    expect(damaged.ok && damaged.value.entry.condition).toBe('damaged');
  });

  it('a transfer changes custody but not status, and cannot target the current holder', () => {
    const plan = planTransition(
      asset('checked_out', 'U1'),
      { kind: 'transfer', toHolderId: 'U2', transferId: 't1' },
      ctx,
    );
    expect(plan.ok && plan.value.set).toEqual({ holderId: 'U2', checkedOutAt: now });
    expect(plan.ok && plan.value.entry).toMatchObject({
      fromHolderId: 'U1',
      toHolderId: 'U2',
      transferId: 't1',
    });
    const self = planTransition(asset('checked_out', 'U1'), { kind: 'transfer', toHolderId: 'U1' }, ctx);
    expect(self.ok ? null : self.error.code).toBe('asset.already_holder');
  });

  it('reporting a lost asset keeps the last holder on record', () => {
    const plan = planTransition(
      asset('checked_out', 'U1'),
      { kind: 'report_problem', problem: 'lost' },
      { actorId: 'U1', now },
    );
    expect(plan.ok && plan.value.set).toEqual({ status: 'lost' });
    expect(plan.ok && plan.value.unset).toEqual(['dueBackAt']);
  });
});

describe('overdue', () => {
  const due = new Date('2026-11-01T00:00:00Z');
  it('is overdue only while held and past the due date', () => {
    expect(isOverdue({ status: 'checked_out', dueBackAt: due }, now)).toBe(true);
    expect(isOverdue({ status: 'pending_return', dueBackAt: due }, now)).toBe(true);
    expect(isOverdue({ status: 'available', dueBackAt: due }, now)).toBe(false);
    expect(isOverdue({ status: 'checked_out', dueBackAt: undefined }, now)).toBe(false);
    expect(isOverdue({ status: 'checked_out', dueBackAt: new Date('2026-11-04T00:00:00Z') }, now)).toBe(
      false,
    );
    expect(daysOverdue({ status: 'checked_out', dueBackAt: due }, now)).toBe(2);
  });
});

describe('tags', () => {
  it('are case-insensitive and trimmed', () => {
    expect(normalizeTag('  lap-0042 ')).toBe('LAP-0042');
  });
});
