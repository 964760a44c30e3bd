/**
 * What every command handler receives, and argument checks shared by several commands.
 */
import type { Catalog } from '../storage/catalog.js';
import type { CollectionStore } from '../storage/collection-store.js';
import type { CursorManager } from '../cursors.js';
import type { ConnectionInfo } from '../wire/server.js';
import { EngineError } from '../errors.js';
import { isPlainObject, typeLabel } from '../values.js';
import type { Doc } from '../values.js';

export interface EngineState {
  catalog: Catalog;
  cursors: CursorManager;
  clock: () => number;
  startedAt: number;
  host: () => string;
  connections: () => number;
}

export interface CommandContext {
  engine: EngineState;
  db: string;
  /** The command body: generic arguments stripped, document sequences merged in. */
  cmd: Doc;
  /** The command name as sent (first key). */
  name: string;
  connection: ConnectionInfo;
}

export type CommandHandler = (ctx: CommandContext) => Doc;

/** The collection name a command names in its first field (`{find: "users"}`). */
export function collectionName(ctx: CommandContext): string {
  const value = ctx.cmd[ctx.name];
  if (typeof value !== 'string') {
    throw EngineError.of('InvalidNamespace', `collection name has invalid type ${typeLabel(value)}`);
  }
  if (value.length === 0)
    throw EngineError.of('InvalidNamespace', `Invalid namespace specified '${ctx.db}.'`);
  return value;
}

export function findCollection(ctx: CommandContext, name = collectionName(ctx)): CollectionStore | undefined {
  return ctx.engine.catalog.get(ctx.db, name);
}

/** Only the simple (binary) collation is available; anything else is refused instead of ignored. */
export function assertSimpleCollation(collation: unknown): void {
  if (collation === undefined || collation === null) return;
  if (isPlainObject(collation) && collation.locale === 'simple') return;
  throw EngineError.of(
    'NotImplemented',
    'collation is not supported by the embedded MongoDB engine (only {locale: "simple"})',
  );
}

/** `let` variables, checked like mongod (a document whose names are valid variable names). */
export function letVariables(value: unknown): Doc | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw EngineError.of(
      'TypeMismatch',
      `BSON field 'let' is the wrong type '${typeLabel(value)}', expected type 'object'`,
    );
  }
  return value;
}

export function documentArray(ctx: CommandContext, field: string): Doc[] {
  const value = ctx.cmd[field];
  if (!Array.isArray(value)) {
    throw new EngineError(40414, `BSON field '${ctx.name}.${field}' is missing but a required field`);
  }
  for (const item of value) {
    if (!isPlainObject(item)) {
      throw EngineError.of('TypeMismatch', `BSON field '${ctx.name}.${field}' must contain documents`);
    }
  }
  return value as Doc[];
}
