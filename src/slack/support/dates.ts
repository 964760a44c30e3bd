/** Due-back days as people type them in commands or pick them in modals, read in the workspace's zone. */
import { z } from 'zod';
import { endOfDayInZone } from '../../platform/dates.js';
import { inputText } from '../messages.js';

/**
 * A due-back day, read as the end of that day; undefined means a permanent assignment. `typed` days
 * (commands) and `picked` days (datepickers) get different words when they are wrong.
 */
export function dueDateSchema(timeZone: string, now: Date, source: 'typed' | 'picked') {
  return z
    .string()
    .optional()
    .transform((day, ctx) => {
      if (day === undefined) return undefined;
      const end = endOfDayInZone(day, timeZone);
      if (!end) {
        ctx.addIssue({
          code: 'custom',
          message: source === 'typed' ? inputText.notADay(day) : inputText.pickADate,
        });
        return z.NEVER;
      }
      if (end.getTime() <= now.getTime()) {
        ctx.addIssue({
          code: 'custom',
          message: source === 'typed' ? inputText.dayInPast(day) : inputText.dueBackInPast,
        });
        return z.NEVER;
      }
      return end;
    });
}
