import { describe, expect, it } from '@jest/globals';
import { parseAssetSearch, type AssetSearch } from '../../../src/domain/index.js';

const now = new Date('2026-11-03T09:00:00Z');

function parsed(query: string): AssetSearch {
  const result = parseAssetSearch(query, now);
  if (!result.ok) throw new Error(`expected ${query} to parse, got ${result.reason}`);
  return result.search;
}

describe('find filters', () => {
  it('combines status, category and free text in any order', () => {
    expect(parsed('status:available category:laptop dell')).toMatchObject({
      status: { kind: 'status', status: 'available' },
      category: 'laptop',
      text: 'dell',
      terms: ['dell'],
    });
    expect(parsed('dell location:Berlin status:retired')).toMatchObject({
      status: { kind: 'status', status: 'retired' },
      location: 'Berlin',
      text: 'dell',
    });
  });

  it('takes a filter alone, without free text', () => {
    expect(parsed('status:retired')).toMatchObject({
      status: { kind: 'status', status: 'retired' },
      text: undefined,
    });
  });

  it('reads statuses with dashes, underscores, any case, and friendly aliases', () => {
    expect(parsed('status:checked-out').status).toEqual({ kind: 'status', status: 'checked_out' });
    expect(parsed('status:checked_out').status).toEqual({ kind: 'status', status: 'checked_out' });
    expect(parsed('status:In-Repair').status).toEqual({ kind: 'status', status: 'in_repair' });
    expect(parsed('status:in-stock').status).toEqual({ kind: 'status', status: 'available' });
  });

  it('reads status:overdue as overdue at the time of asking', () => {
    expect(parsed('status:overdue').status).toEqual({ kind: 'overdue', asOf: now });
  });

  it('reads quoted values, straight or as Slack curls them', () => {
    expect(parsed('category:"docking station" dell').category).toBe('docking station');
    expect(parsed('category:\u201Cdocking station\u201D').category).toBe('docking station');
    expect(parsed('location:"Berlin  office"').location).toBe('Berlin office');
  });

  it('combines a mentioned holder with filters and text', () => {
    expect(parsed('<@U012ABCDEF|jane> status:overdue macbook')).toMatchObject({
      holderId: 'U012ABCDEF',
      status: { kind: 'overdue' },
      terms: ['macbook'],
    });
  });

  it('names an unknown filter key, an unknown status and a repeated filter', () => {
    expect(parseAssetSearch('colour:red', now)).toEqual({
      ok: false,
      reason: 'unknown_filter',
      filter: 'colour',
    });
    expect(parseAssetSearch('status:broken', now)).toEqual({
      ok: false,
      reason: 'unknown_status',
      value: 'broken',
    });
    expect(parseAssetSearch('status:lost status:retired', now)).toEqual({
      ok: false,
      reason: 'repeated_filter',
      filter: 'status',
    });
    expect(parseAssetSearch('category: dell', now)).toEqual({
      ok: false,
      reason: 'missing_filter_value',
      filter: 'category',
    });
    expect(parseAssetSearch('category:"docking station', now)).toEqual({
      ok: false,
      reason: 'unclosed_quote',
    });
  });

  it('leaves colons that do not follow a word alone (MAC addresses, quoted text)', () => {
    expect(parsed('00:1a:2b').terms).toEqual(['00', '1a', '2b']);
    expect(parsed('"SN:123"').terms).toEqual(['123', 'sn']);
  });

  it('refuses text without letters or digits', () => {
    expect(parseAssetSearch('--', now)).toEqual({ ok: false, reason: 'no_words' });
  });
});

describe('control characters in a search', () => {
  it('refuses a NUL byte, other C0 controls and DEL', () => {
    for (const query of ['LAP\u0000', 'LAP\u0007X', 'x\u001B[2J', 'LAP\u007F', '\u0000']) {
      expect(parseAssetSearch(query, now)).toEqual({ ok: false, reason: 'control_characters' });
    }
  });
  it('lets tabs and newlines through as whitespace', () => {
    expect(parsed('mac\tbook\npro').terms).toEqual(['book', 'mac', 'pro']);
  });
});
