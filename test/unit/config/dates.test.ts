import { describe, expect, it } from '@jest/globals';
import { endOfDayInZone, isoDayInZone, parseIsoDay, startOfDayInZone } from '../../../src/platform/dates.js';

describe('due dates in the workspace time zone', () => {
  it('are due by the end of the day there', () => {
    expect(endOfDayInZone('2026-12-01', 'UTC')?.toISOString()).toBe('2026-12-01T23:59:59.999Z');
    expect(endOfDayInZone('2026-12-01', 'Europe/Berlin')?.toISOString()).toBe('2026-12-01T22:59:59.999Z');
    expect(startOfDayInZone('2026-07-01', 'America/New_York')?.toISOString()).toBe(
      '2026-07-01T04:00:00.000Z',
    );
  });
  it('refuse days that do not exist', () => {
    expect(parseIsoDay('2026-02-30')).toBeUndefined();
    expect(parseIsoDay('01/12/2026')).toBeUndefined();
    expect(endOfDayInZone('tomorrow', 'UTC')).toBeUndefined();
  });
  it('print the local day of an instant', () => {
    expect(isoDayInZone(new Date('2026-12-01T23:30:00Z'), 'Europe/Berlin')).toBe('2026-12-02');
  });
});
