import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);

/** A calendar day typed by a person or picked in a datepicker, "YYYY-MM-DD"; undefined when not a real day. */
export function parseIsoDay(text: string): { year: number; month: number; day: number } | undefined {
  const parsed = dayjs(text.trim(), 'YYYY-MM-DD', true);
  if (!parsed.isValid()) return undefined;
  return { year: parsed.year(), month: parsed.month() + 1, day: parsed.date() };
}

/**
 * A due date is a day in the workspace's time zone: the asset is due back by the END of that day, so it
 * turns overdue at the following midnight there.
 */
export function endOfDayInZone(isoDay: string, timeZone: string): Date | undefined {
  if (!parseIsoDay(isoDay)) return undefined;
  return dayjs.tz(isoDay.trim(), 'YYYY-MM-DD', timeZone).endOf('day').toDate();
}

/** The start of a day in the workspace's time zone (for "needed by" dates and comparisons with today). */
export function startOfDayInZone(isoDay: string, timeZone: string): Date | undefined {
  if (!parseIsoDay(isoDay)) return undefined;
  return dayjs.tz(isoDay.trim(), 'YYYY-MM-DD', timeZone).startOf('day').toDate();
}

/** "YYYY-MM-DD" of an instant in a time zone. */
export function isoDayInZone(date: Date, timeZone: string): string {
  return dayjs(date).tz(timeZone).format('YYYY-MM-DD');
}
