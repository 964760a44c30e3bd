/** How a catalog choice is named when it travels through a front door that limits its length. */
import { createHash } from 'node:crypto';
import type { CatalogChoice } from '../domain/index.js';

/** A stable short fingerprint of a choice, for choices too long to travel in full (Slack option values). */
export function catalogChoiceFingerprint(choice: CatalogChoice): string {
  return createHash('sha256')
    .update(`${choice.category}\u0000${choice.model ?? ''}`)
    .digest('base64url')
    .slice(0, 16);
}

/** A choice as a front door submits it: named in full, or by fingerprint with text to find it again. */
export type CatalogChoiceInput =
  { category: string; model?: string | undefined } | { fingerprint: string; search: string };
