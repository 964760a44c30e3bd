/**
 * insert / update / delete / findAndModify. Each handler runs synchronously from reading a document
 * to storing its replacement, so every single-document write is atomic across connections.
 */
import { performance } from 'node:perf_hooks';
import {
  bsonTypeName,
  buildUpsertDocument,
  compileProjection,
  compileUpdate,
  isOperatorUpdate,
} from '../query/index.js';
import { EngineError } from '../errors.js';
import { docArg, isPlainObject, numberArg, OK, truthy } from '../values.js';
import type { Doc } from '../values.js';
import type { CollectionStore } from '../storage/collection-store.js';
import { assertUserWritable, collectionName, now, documentArray, letVariables } from './context.js';
import type { CommandContext, CommandHandler, OperationMetrics, StatementMetrics } from './context.js';
import { planSummary } from './plan-stages.js';
import {
  assertIdUnchanged,
  assertPassesValidator,
  assertStorable,
  prepareInsert,
  selectDocuments,
  withIdFirst,
} from './select.js';
import type { Selection } from './select.js';

function writeError(index: number, err: unknown): Doc {
  if (err instanceof EngineError) return { index, code: err.code, errmsg: err.message, ...err.extra };
  return { index, code: 1, errmsg: err instanceof Error ? err.message : String(err) };
}

function isOrdered(cmd: Doc): boolean {
  return cmd.ordered === undefined ? true : truthy(cmd.ordered);
}

const insert: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  assertUserWritable(ctx, name);
  const documents = documentArray(ctx, 'documents');
  const ordered = isOrdered(ctx.cmd);
  const bypass = truthy(ctx.cmd.bypassDocumentValidation);
  let collection: CollectionStore | undefined;
  let n = 0;
  const writeErrors: Doc[] = [];
  documents.forEach((doc, index) => {
    if (ordered && writeErrors.length) return;
    try {
      const stored = prepareInsert(doc);
      collection ??= ctx.engine.catalog.getOrCreate(ctx.db, name);
      assertPassesValidator(collection, stored, { bypass });
      collection.insert(stored);
      n++;
    } catch (err) {
      writeErrors.push(writeError(index, err));
    }
  });
  if (ctx.op) ctx.op.ninserted = n;
  return writeErrors.length ? { n, writeErrors, ok: OK } : { n, ok: OK };
};

export interface UpdateSpec {
  filter: Doc;
  update: Doc | Doc[];
  upsert: boolean;
  multi: boolean;
  arrayFilters?: Doc[];
  hint?: unknown;
  sort?: Doc;
  variables?: Doc;
  bypassDocumentValidation?: boolean;
  collation?: unknown;
}

export interface UpdateOutcome {
  n: number;
  nModified: number;
  upsertedId?: unknown;
  before?: Doc;
  after?: Doc;
  /** The read that found the documents (for the profiler). */
  selection?: Selection;
}

function assertUpdateShape(update: unknown, multi: boolean): asserts update is Doc | Doc[] {
  if (Array.isArray(update)) {
    if (!update.every(isPlainObject))
      throw EngineError.of('FailedToParse', 'Each element of the pipeline must be an object');
    return;
  }
  if (!isPlainObject(update)) {
    throw EngineError.of(
      'FailedToParse',
      `Update argument must be either an object or an array, not ${bsonTypeName(update)}`,
    );
  }
  if (multi && Object.keys(update).length > 0 && !isOperatorUpdate(update)) {
    throw EngineError.of('FailedToParse', 'multi update is not supported for replacement-style update');
  }
}

/** Applies one update statement (shared by `update` and `findAndModify`). */
export function executeUpdate(ctx: CommandContext, name: string, spec: UpdateSpec): UpdateOutcome {
  assertUpdateShape(spec.update, spec.multi);
  const at = now(ctx);
  const compiled = compileUpdate(spec.update, {
    arrayFilters: spec.arrayFilters,
    variables: spec.variables,
    now: at,
    collation: spec.collation,
  });
  const existing = ctx.engine.catalog.get(ctx.db, name);
  const selection = selectDocuments(existing, {
    now: at,
    filter: spec.filter,
    sort: spec.sort,
    limit: spec.multi ? 0 : 1,
    hint: spec.hint,
    variables: spec.variables,
    withPosition: compiled.usesPositional,
    collation: spec.collation,
  });
  if (selection.selected.length === 0) {
    if (!spec.upsert) return { n: 0, nModified: 0, selection };
    const created = buildUpsertDocument(spec.filter, spec.update, {
      arrayFilters: spec.arrayFilters,
      variables: spec.variables,
      now: at,
      collation: spec.collation,
    });
    const stored = prepareInsert(created);
    const collection = existing ?? ctx.engine.catalog.getOrCreate(ctx.db, name);
    assertPassesValidator(collection, stored, { bypass: spec.bypassDocumentValidation ?? false });
    collection.insert(stored);
    return { n: 1, nModified: 0, upsertedId: stored._id, after: stored, selection };
  }
  const collection = existing!;
  let nModified = 0;
  let last: UpdateOutcome = { n: 0, nModified: 0 };
  for (const { rid, doc, arrayIndex } of selection.selected) {
    const result = compiled.apply(doc, { isUpsert: false, now: at, matchedIndex: arrayIndex });
    let after = doc;
    if (result.changed) {
      after = Object.keys(result.doc)[0] === '_id' ? result.doc : withIdFirst(result.doc, doc._id);
      assertIdUnchanged(doc, after);
      assertStorable(after, 'update');
      assertPassesValidator(collection, after, {
        bypass: spec.bypassDocumentValidation ?? false,
        before: doc,
      });
      collection.replace(rid, after);
      nModified++;
    }
    last = { n: 0, nModified: 0, before: doc, after };
  }
  return { ...last, n: selection.selected.length, nModified, selection };
}

/** The profiler's counters for one statement's read. */
function readMetrics(selection: Selection | undefined): OperationMetrics {
  return {
    read: true,
    keysExamined: selection?.stats.keysExamined ?? 0,
    docsExamined: selection?.stats.docsExamined ?? 0,
    planSummary: selection ? planSummary(selection.plan) : 'EOF',
  };
}

function recordStatement(ctx: CommandContext, statement: StatementMetrics): void {
  (ctx.op!.statements ??= []).push(statement);
}

const update: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  assertUserWritable(ctx, name);
  const statements = documentArray(ctx, 'updates');
  // mongod 7.0 parses the whole command before running it: a field it does not know fails it all.
  // (The `sort` option of update statements arrived in 8.0.)
  if (statements.some((statement) => statement.sort !== undefined)) {
    throw new EngineError(40415, "BSON field 'update.updates.sort' is an unknown field.");
  }
  const ordered = isOrdered(ctx.cmd);
  const variables = letVariables(ctx, ctx.cmd.let);
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors: Doc[] = [];
  statements.forEach((statement, index) => {
    if (ordered && writeErrors.length) return;
    const started = ctx.op ? performance.now() : 0;
    try {
      const multi = truthy(statement.multi);
      const constants = docArg(statement, 'c');
      const outcome = executeUpdate(ctx, name, {
        filter: docArg(statement, 'q') ?? {},
        update: statement.u as Doc,
        upsert: truthy(statement.upsert),
        multi,
        arrayFilters: statement.arrayFilters as Doc[] | undefined,
        hint: statement.hint,
        variables: constants || variables ? { ...variables, ...constants } : undefined,
        bypassDocumentValidation: truthy(ctx.cmd.bypassDocumentValidation),
        collation: statement.collation,
      });
      n += outcome.n;
      nModified += outcome.nModified;
      if (outcome.upsertedId !== undefined) upserted.push({ index, _id: outcome.upsertedId });
      if (ctx.op) {
        const upsertedOne = outcome.upsertedId !== undefined;
        recordStatement(ctx, {
          op: 'update',
          command: statement,
          metrics: {
            ...readMetrics(outcome.selection),
            nMatched: upsertedOne ? 0 : outcome.n,
            nModified: outcome.nModified,
            nUpserted: upsertedOne ? 1 : 0,
          },
          millis: performance.now() - started,
        });
      }
    } catch (err) {
      writeErrors.push(writeError(index, err));
    }
  });
  const reply: Doc = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = OK;
  return reply;
};

const deleteCommand: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  assertUserWritable(ctx, name);
  const statements = documentArray(ctx, 'deletes');
  const ordered = isOrdered(ctx.cmd);
  const variables = letVariables(ctx, ctx.cmd.let);
  let n = 0;
  const writeErrors: Doc[] = [];
  statements.forEach((statement, index) => {
    if (ordered && writeErrors.length) return;
    const started = ctx.op ? performance.now() : 0;
    try {
      const limit = numberArg(statement, 'limit') ?? 0;
      if (limit !== 0 && limit !== 1) {
        throw EngineError.of(
          'FailedToParse',
          'The limit field in delete objects must be 0 or 1. Got ' + limit,
        );
      }
      const collection = ctx.engine.catalog.get(ctx.db, name);
      const selection = selectDocuments(collection, {
        now: now(ctx),
        filter: docArg(statement, 'q') ?? {},
        limit,
        hint: statement.hint,
        variables,
        collation: statement.collation,
      });
      for (const { rid } of selection.selected) {
        collection!.remove(rid);
        n++;
      }
      if (ctx.op) {
        recordStatement(ctx, {
          op: 'remove',
          command: statement,
          metrics: { ...readMetrics(selection), ndeleted: selection.selected.length },
          millis: performance.now() - started,
        });
      }
    } catch (err) {
      writeErrors.push(writeError(index, err));
    }
  });
  return writeErrors.length ? { n, writeErrors, ok: OK } : { n, ok: OK };
};

const findAndModify: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  assertUserWritable(ctx, name);
  const { cmd } = ctx;
  const remove = truthy(cmd.remove);
  const returnNew = truthy(cmd.new);
  const upsert = truthy(cmd.upsert);
  const hasUpdate = cmd.update !== undefined && cmd.update !== null;
  if (remove && hasUpdate)
    throw EngineError.of('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && !hasUpdate)
    throw EngineError.of('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && upsert)
    throw EngineError.of('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  if (remove && returnNew) {
    throw EngineError.of(
      'FailedToParse',
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  }
  const filter = docArg(cmd, 'query') ?? {};
  const sort = docArg(cmd, 'sort');
  const fields = docArg(cmd, 'fields');
  const variables = letVariables(ctx, cmd.let);
  const project =
    fields && Object.keys(fields).length
      ? compileProjection(fields, { now: now(ctx), variables, collation: cmd.collation })
      : (doc: Doc) => doc;

  if (remove) {
    const collection = ctx.engine.catalog.get(ctx.db, name);
    const selection = selectDocuments(collection, {
      now: now(ctx),
      filter,
      sort,
      limit: 1,
      hint: cmd.hint,
      variables,
      collation: cmd.collation,
    });
    const found = selection.selected[0];
    if (ctx.op) Object.assign(ctx.op, readMetrics(selection), { ndeleted: found ? 1 : 0 });
    if (!found) return { lastErrorObject: { n: 0 }, value: null, ok: OK };
    collection!.remove(found.rid);
    return { lastErrorObject: { n: 1 }, value: project(found.doc), ok: OK };
  }

  const outcome = executeUpdate(ctx, name, {
    filter,
    update: cmd.update as Doc,
    upsert,
    multi: false,
    arrayFilters: cmd.arrayFilters as Doc[] | undefined,
    hint: cmd.hint,
    sort,
    variables,
    bypassDocumentValidation: truthy(cmd.bypassDocumentValidation),
    collation: cmd.collation,
  });
  if (ctx.op) {
    const upsertedOne = outcome.upsertedId !== undefined;
    Object.assign(ctx.op, readMetrics(outcome.selection), {
      nMatched: upsertedOne ? 0 : outcome.n,
      nModified: outcome.nModified,
      nUpserted: upsertedOne ? 1 : 0,
    });
  }
  const lastErrorObject: Doc = {
    n: outcome.n,
    updatedExisting: outcome.n > 0 && outcome.upsertedId === undefined,
  };
  if (outcome.upsertedId !== undefined) lastErrorObject.upserted = outcome.upsertedId;
  const chosen = returnNew ? outcome.after : outcome.before;
  return { lastErrorObject, value: chosen ? project(chosen) : null, ok: OK };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: deleteCommand,
  findAndModify,
  findandmodify: findAndModify,
};
