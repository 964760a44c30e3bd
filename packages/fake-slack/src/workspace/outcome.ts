/** How the fake workspace answers: a value, or a refusal in Slack's words (an `error` code). */
import type { JsonObject } from '../types.js';

export interface Refusal {
  ok: false;
  error: string;
  extra?: JsonObject;
}

export type Outcome<T> = { ok: true; value: T } | Refusal;

export const refuse = (error: string, extra?: JsonObject): Refusal =>
  extra === undefined ? { ok: false, error } : { ok: false, error, extra };
export const accept = <T>(value: T): Outcome<T> => ({ ok: true, value });
