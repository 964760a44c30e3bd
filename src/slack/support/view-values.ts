/** Reads a modal submission's `view.state.values`, validated with zod, and maps field problems to block ids. */
import { z } from 'zod';
import { carriedJson, parseCarried } from './interaction.js';

const stateValueSchema = z.looseObject({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
  selected_user: z.string().nullish(),
  selected_date: z.string().nullish(),
});

const stateValuesSchema = z.record(z.string(), z.record(z.string(), stateValueSchema));

export interface ViewValues {
  /** Typed text; undefined when empty or only spaces. */
  text(blockId: string, actionId: string): string | undefined;
  option(blockId: string, actionId: string): string | undefined;
  user(blockId: string, actionId: string): string | undefined;
  date(blockId: string, actionId: string): string | undefined;
}

export function readViewValues(values: unknown): ViewValues {
  const parsed = parseCarried(stateValuesSchema, values, 'view state');
  const at = (blockId: string, actionId: string) => parsed[blockId]?.[actionId];
  return {
    text: (b, a) => {
      const value = at(b, a)?.value;
      return value && value.trim() !== '' ? value : undefined;
    },
    option: (b, a) => at(b, a)?.selected_option?.value ?? undefined,
    user: (b, a) => at(b, a)?.selected_user ?? undefined,
    date: (b, a) => at(b, a)?.selected_date ?? undefined,
  };
}

/** The first message per field of a failed zod parse, keyed by the field's block id. */
export function errorsByBlock(error: z.ZodError, blockOf: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    const blockId = blockOf[field];
    if (blockId && !errors[blockId]) errors[blockId] = issue.message;
  }
  return errors;
}

/** Modal context carried in private_metadata: JSON validated against `schema`; refused as stale input otherwise. */
export function parseMetadata<T>(schema: z.ZodType<T>, privateMetadata: string | undefined): T {
  return parseCarried(schema, carriedJson(privateMetadata), 'private_metadata') as T;
}
