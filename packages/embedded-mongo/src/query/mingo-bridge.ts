/**
 * Pure: the boundary to mingo's expression engine. Converts engine values to the plain-JS view
 * mingo understands and back, binds $$NOW to the caller's clock, and evaluates expressions.
 */
import { BSONRegExp, Double, Long } from 'bson';
import type { Decimal128, DBRef } from 'bson';
import { Context, evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { EngineError, ErrorCodes } from '../errors.js';
import { bsonTag, dbRefAsObject, isPlainObject } from './bson-values.js';
import { compareNumbers, isNumericValue, numberKind } from './numbers.js';

/** Clock and variables shared by expression evaluation. */
export interface ExpressionContext {
  /** The value of $$NOW (and the base for $currentDate); required when an expression reads $$NOW. */
  now?: Date;
  /** User variables (`let`), already evaluated, in the engine representation. */
  variables?: Record<string, unknown>;
}

/** Operators for expressions evaluated outside an aggregation pipeline ($expr, pipeline updates...). */
export const EXPRESSION_OPERATORS = {
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
} as const;

const expressionContext = Context.init(EXPRESSION_OPERATORS);

type PipelineOperator = (typeof pipelineOperators)[keyof typeof pipelineOperators];

let defaultPipelineContext: Context | undefined;

/**
 * A mingo context with every operator, where `overrides` replace mingo's own pipeline stages
 * (the engine substitutes its BSON-exact $match and $sort).
 */
export function pipelineContext(overrides?: Record<string, PipelineOperator>): Context {
  if (!overrides) {
    defaultPipelineContext ??= Context.init({ ...EXPRESSION_OPERATORS, pipeline: pipelineOperators });
    return defaultPipelineContext;
  }
  return Context.init({ ...EXPRESSION_OPERATORS, pipeline: { ...pipelineOperators, ...overrides } });
}

// ---------------------------------------------------------------------------------------------
// Engine <-> plain view

/**
 * The plain-JS view of an engine value for mingo: Double/Int32/Decimal128 -> number,
 * Long -> number (bigint when beyond 2^53), BSONRegExp -> RegExp, symbols -> strings,
 * DBRef -> {$ref, $id, $db}; ObjectId, Date, Binary, Timestamp, MinKey/MaxKey stay instances.
 */
export function toPlain(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = toPlain(v[i]);
    return out;
  }
  if (v instanceof Date || v instanceof RegExp) return v;
  const tag = bsonTag(v);
  if (tag === undefined) {
    if (!isPlainObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) out[key] = toPlain(v[key]);
    return out;
  }
  switch (tag) {
    case 'Double':
    case 'Int32':
      return (v as { value: number }).value;
    case 'Long': {
      const long = v as Long;
      const n = long.toNumber();
      return Number.isSafeInteger(n) ? n : long.toBigInt();
    }
    case 'Decimal128':
      return Number((v as Decimal128).toString());
    case 'BSONRegExp': {
      const re = v as BSONRegExp;
      try {
        return new RegExp(re.pattern, re.options.replace(/[^ims]/g, ''));
      } catch {
        return v;
      }
    }
    case 'BSONSymbol':
      return (v as { value: string }).value;
    case 'DBRef':
      return toPlain(dbRefAsObject(v as DBRef));
    default:
      return v;
  }
}

/**
 * Converts a plain-JS value (mingo output) back to the engine representation. When `original`
 * is given (the pre-image at the same position), numbers equal in value to the original keep the
 * original's BSON type, so untouched doubles/longs/decimals survive a round trip through mingo.
 */
export function fromPlain(v: unknown, original?: unknown): unknown {
  switch (typeof v) {
    case 'number':
      if (original !== undefined && isNumericValue(original) && numberKind(original) !== 'int') {
        if (compareNumbers(v, original) === 0) return original;
      }
      return Object.is(v, -0) ? new Double(-0) : v;
    case 'bigint':
      return Long.fromBigInt(v);
    case 'object':
      break;
    default:
      return v;
  }
  if (v === null) return null;
  if (Array.isArray(v)) {
    const orig = Array.isArray(original) ? original : undefined;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = fromPlain(v[i] === undefined ? null : v[i], orig?.[i]);
    return out;
  }
  if (v instanceof Date) return v;
  if (v instanceof RegExp) return new BSONRegExp(v.source, v.flags.replace(/[^imsx]/g, ''));
  if (!isPlainObject(v)) return v;
  const orig = isPlainObject(original) ? original : undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const child = v[key];
    if (child !== undefined) out[key] = fromPlain(child, orig?.[key]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Expressions

/**
 * Replaces `$$NOW` references with the caller's clock, because mingo would otherwise read the
 * system clock. `$literal` arguments are left untouched. Without a clock, an expression that
 * reads `$$NOW` is refused (InternalError: the server must pass `now`).
 */
export function bindNow(expr: unknown, now: Date | undefined): unknown {
  if (now === undefined) {
    if (readsNow(expr))
      throw new EngineError(ErrorCodes.InternalError, '$$NOW is used but no clock (now) was provided');
    return expr;
  }
  return replaceNow(expr, now);
}

function readsNow(expr: unknown): boolean {
  if (typeof expr === 'string') return expr === '$$NOW' || expr.startsWith('$$NOW.');
  if (Array.isArray(expr)) return expr.some(readsNow);
  if (!isPlainObject(expr)) return false;
  for (const key of Object.keys(expr)) if (key !== '$literal' && readsNow(expr[key])) return true;
  return false;
}

function replaceNow(expr: unknown, now: Date): unknown {
  if (typeof expr === 'string') return expr === '$$NOW' ? { $literal: now } : expr;
  if (Array.isArray(expr)) return expr.map((e) => replaceNow(e, now));
  if (!isPlainObject(expr)) return expr;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expr)) {
    out[key] = key === '$literal' ? expr[key] : replaceNow(expr[key], now);
  }
  return out;
}

const SCRIPT_OPERATORS = new Set(['$function', '$accumulator', '$where']);

/**
 * Refuses server-side JavaScript ($function, $accumulator, $where) anywhere in an expression or
 * pipeline. mingo itself runs with scripts enabled because its $setWindowFields relies on them.
 */
export function assertNoServerJavaScript(expr: unknown): void {
  if (Array.isArray(expr)) {
    for (const e of expr) assertNoServerJavaScript(e);
    return;
  }
  if (!isPlainObject(expr)) return;
  for (const key of Object.keys(expr)) {
    if (key === '$literal') continue;
    if (SCRIPT_OPERATORS.has(key)) {
      throw new EngineError(
        ErrorCodes.NotImplemented,
        `The embedded MongoDB engine does not support server-side JavaScript (${key})`,
      );
    }
    assertNoServerJavaScript(expr[key]);
  }
}

/** mingo options for one evaluation context. */
export function mingoOptions(ctx: ExpressionContext, context: Context = expressionContext): Partial<Options> {
  return {
    context,
    variables: plainVariables(ctx),
    scriptEnabled: true,
  };
}

function plainVariables(ctx: ExpressionContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx.variables ?? {})) out[k] = toPlain(v);
  return out;
}

/**
 * Evaluates an aggregation expression (already passed through {@link bindNow}) against a
 * plain-JS document; returns the plain-JS result. mingo errors become EngineError(BadValue).
 */
export function evaluatePlain(plainDoc: unknown, expr: unknown, options: Partial<Options>): unknown {
  try {
    return evalExpr(plainDoc, expr, options as Options);
  } catch (err) {
    throw asEngineError(err);
  }
}

/** Wraps errors thrown by mingo so clients get a mongod-style error reply. */
export function asEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new EngineError(ErrorCodes.BadValue, message);
}

/**
 * Evaluates a command's `let` document once (mongod evaluates each variable as an expression with
 * no current document), returning the variables in the engine representation. Pass the result as
 * `variables` to compileFilter / compileUpdate / compileProjection / runPipeline.
 */
export function evaluateLetVariables(
  letSpec: Record<string, unknown> | undefined,
  ctx: ExpressionContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!letSpec) return out;
  for (const [name, expr] of Object.entries(letSpec)) {
    if (!/^[a-z\u0080-\uffff][\w\u0080-\uffff]*$/.test(name)) {
      throw new EngineError(
        ErrorCodes.FailedToParse,
        `'${name}' starts with an invalid character for a user variable name`,
      );
    }
    const value = evaluatePlain(
      {},
      bindNow(toPlain(expr), ctx.now),
      mingoOptions({ now: ctx.now, variables: out }),
    );
    out[name] = fromPlain(value);
  }
  return out;
}

/** MongoDB truthiness of an expression result: false, null, missing and zero are false. */
export function isTruthy(v: unknown): boolean {
  if (v === false || v === null || v === undefined) return false;
  // NaN is truthy in mongod (it is not equal to zero).
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  return true;
}
