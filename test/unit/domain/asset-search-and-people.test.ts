import { describe, expect, it } from '@jest/globals';
import {
  can,
  canHoldAssets,
  initialRoles,
  isItStaff,
  maxSearchLength,
  parseAssetSearch,
} from '../../../src/domain/index.js';

const now = new Date('2026-11-03T09:00:00Z');
const nothing = {
  text: undefined,
  terms: [],
  holderId: undefined,
  status: undefined,
  category: undefined,
  location: undefined,
};

describe('find queries', () => {
  it('reads an escaped Slack mention as a search by holder', () => {
    expect(parseAssetSearch('<@U012ABCDEF|jane>', now)).toEqual({
      ok: true,
      search: { ...nothing, holderId: 'U012ABCDEF' },
    });
    expect(parseAssetSearch('<@W012ABCDEF>', now)).toEqual({
      ok: true,
      search: { ...nothing, holderId: 'W012ABCDEF' },
    });
  });
  it('reads anything else as text, with whitespace collapsed, and the words it must match', () => {
    expect(parseAssetSearch('  MacBook   Pro ', now)).toEqual({
      ok: true,
      search: { ...nothing, text: 'MacBook Pro', terms: ['macbook', 'pro'] },
    });
  });
  it('refuses empty, one-character and very long queries with a reason', () => {
    expect(parseAssetSearch('   ', now)).toEqual({ ok: false, reason: 'empty' });
    expect(parseAssetSearch('x', now)).toEqual({ ok: false, reason: 'too_short' });
    expect(parseAssetSearch('x'.repeat(maxSearchLength + 1), now)).toEqual({ ok: false, reason: 'too_long' });
  });
});

describe('roles', () => {
  const person = (roles: ('employee' | 'manager' | 'it' | 'admin')[], deactivated = false) => ({
    roles,
    deactivated,
  });
  it('employees may find and request but not check out', () => {
    expect(can(person(['employee']), 'asset.find')).toBe(true);
    expect(can(person(['employee']), 'asset.request')).toBe(true);
    expect(can(person(['employee']), 'asset.checkout')).toBe(false);
    expect(can(person(['employee']), 'request.decide')).toBe(false);
  });
  it('IT staff and admins may decide requests and keep employee rights', () => {
    expect(can(person(['it']), 'request.decide')).toBe(true);
    expect(can(person(['it']), 'asset.request')).toBe(true);
    expect(can(person(['admin']), 'asset.add')).toBe(true);
    expect(isItStaff(person(['admin']))).toBe(true);
    expect(isItStaff(person(['manager']))).toBe(false);
  });
  it('a deactivated person may do nothing', () => {
    expect(can(person(['admin'], true), 'asset.find')).toBe(false);
  });
  it('configured admins are bootstrapped as admins', () => {
    expect(initialRoles('U1', ['U1'])).toEqual(['employee', 'admin']);
    expect(initialRoles('U2', ['U1'])).toEqual(['employee']);
  });
});

describe('who may hold assets', () => {
  const person = (overrides: Partial<{ deactivated: boolean; isBot: boolean }> = {}) => ({
    slackUserId: 'U1',
    deactivated: false,
    isBot: false,
    ...overrides,
  });
  it('an active human may', () => {
    expect(canHoldAssets(person(), 'U1')).toEqual({ ok: true, value: true });
  });
  it('unknown people, deactivated accounts and bots may not, each with its reason', () => {
    expect(canHoldAssets(undefined, 'U9')).toEqual({
      ok: false,
      error: { code: 'person.not_found', details: { userId: 'U9' } },
    });
    expect(canHoldAssets(person({ deactivated: true }), 'U1')).toMatchObject({
      error: { code: 'person.cannot_hold', details: { reason: 'deactivated' } },
    });
    expect(canHoldAssets(person({ isBot: true }), 'U1')).toMatchObject({
      error: { code: 'person.cannot_hold', details: { reason: 'bot' } },
    });
  });
});
