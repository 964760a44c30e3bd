/** Pure formatting helpers shared by every Block Kit builder. */
import type { AssetStatus } from '../../domain/index.js';
import { statusLabels } from '../../domain/index.js';

export const mention = (userId: string): string => `<@${userId}>`;

/** "3 Nov 2026" in the workspace's time zone. */
export function formatDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  }).format(date);
}

/** "3 Nov" when in the same year as `now`, else "3 Nov 2025". */
export function formatShortDate(date: Date, timeZone: string, now: Date): string {
  const year = (d: Date) => new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone }).format(d);
  if (year(date) === year(now)) {
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }).format(date);
  }
  return formatDate(date, timeZone);
}

/** YYYY-MM-DD in the given zone, as Slack's datepicker expects. */
export function isoDay(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  }).format(date);
}

const statusEmoji: Record<AssetStatus, string> = {
  available: ':large_green_circle:',
  checked_out: ':large_blue_circle:',
  pending_return: ':hourglass_flowing_sand:',
  in_repair: ':wrench:',
  lost: ':warning:',
  retired: ':white_circle:',
};

export function statusText(status: AssetStatus): string {
  return `${statusEmoji[status]} ${statusLabels[status]}`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to Slack's limit with an ellipsis, for labels where the full value is shown elsewhere. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
