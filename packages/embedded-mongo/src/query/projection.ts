/**
 * Pure: find-style projections (inclusion / exclusion, `_id`, dotted paths through arrays,
 * `$slice`, `$elemMatch`, positional `field.$`, and computed fields via mingo expressions).
 */
import { EngineError, ErrorCodes } from '../errors.js';
import { isPlainObject, normalizeValue } from './bson-values.js';
import type { EngineDocument } from './bson-values.js';
import { compileFilter } from './matcher.js';
import type { CompiledFilter } from './matcher.js';
import {
  assertNoServerJavaScript,
  bindNow,
  evaluatePlain,
  fromPlain,
  mingoOptions,
  toPlain,
} from './mingo-bridge.js';
import { isNumericValue, toJsNumber } from './numbers.js';

/** Options for {@link compileProjection}. */
export interface ProjectionOptions {
  /** Clock for $$NOW in computed fields. */
  now?: Date;
  /** Evaluated `let` variables for computed fields. */
  variables?: Record<string, unknown>;
  /** Collation for `$elemMatch` projections. */
  collation?: unknown;
}

/** A compiled projection: call it with a document (and the query's match index for `field.$`). */
export type CompiledProjection = ((doc: EngineDocument, matchedIndex?: number) => EngineDocument) & {
  /** True when the projection uses positional `field.$`, which needs the query's match index. */
  readonly requiresPosition: boolean;
  /** Whether fields are kept only when named (inclusion) or kept unless named (exclusion). */
  readonly mode: 'inclusion' | 'exclusion';
};

type Leaf =
  | { kind: 'include' }
  | { kind: 'exclude' }
  | { kind: 'slice'; skip: number | undefined; limit: number }
  | { kind: 'elemMatch'; filter: CompiledFilter }
  | { kind: 'expression'; expr: unknown }
  | { kind: 'node'; node: ProjectionNode };

type ProjectionNode = Map<string, Leaf>;

function badValue(message: string): EngineError {
  return new EngineError(ErrorCodes.BadValue, message);
}

function isTruthyFlag(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return toJsNumber(v) !== 0;
}

function parseSlice(arg: unknown): Leaf {
  if (isNumericValue(arg)) return { kind: 'slice', skip: undefined, limit: Math.trunc(toJsNumber(arg)) };
  if (Array.isArray(arg) && arg.length === 2 && isNumericValue(arg[0]) && isNumericValue(arg[1])) {
    const limit = Math.trunc(toJsNumber(arg[1]));
    if (limit <= 0)
      throw new EngineError(
        28724,
        'First argument to $slice must be an array, and the limit must be positive',
      );
    return { kind: 'slice', skip: Math.trunc(toJsNumber(arg[0])), limit };
  }
  throw new EngineError(
    28667,
    'Invalid $slice syntax. The given syntax did not match the find() syntax because :: Location31273: $slice only supports numbers and [skip, limit] arrays',
  );
}

interface ParseState {
  inclusions: string[];
  exclusions: string[];
  positional: string | undefined;
  idExcluded: boolean;
  idMentioned: boolean;
  options: ProjectionOptions;
}

function insert(root: ProjectionNode, path: string, leaf: Leaf): void {
  const parts = path.split('.');
  let node = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const existing = node.get(parts[i]!);
    if (existing === undefined) {
      const child: ProjectionNode = new Map();
      node.set(parts[i]!, { kind: 'node', node: child });
      node = child;
    } else if (existing.kind === 'node') {
      node = existing.node;
    } else {
      throw new EngineError(
        31250,
        `Path collision at ${path} remaining portion ${parts.slice(i + 1).join('.')}`,
      );
    }
  }
  const last = parts.at(-1)!;
  const existing = node.get(last);
  if (existing !== undefined) {
    throw new EngineError(31250, `Path collision at ${path}${existing.kind === 'node' ? '' : ''}`);
  }
  node.set(last, leaf);
}

function parseInto(
  root: ProjectionNode,
  spec: Record<string, unknown>,
  prefix: string,
  state: ParseState,
): void {
  for (const [rawKey, value] of Object.entries(spec)) {
    if (rawKey === '' || rawKey.startsWith('$')) {
      throw badValue(`FieldPath field names may not start with '$'. Consider using $getField or $setField.`);
    }
    const key = prefix ? `${prefix}.${rawKey}` : rawKey;
    if (key.endsWith('.$')) {
      const path = key.slice(0, -2);
      if (state.positional !== undefined)
        throw badValue('Cannot specify more than one positional proj. per query.');
      if (!isTruthyFlag(value)) throw badValue('positional projection cannot be used with exclusion');
      state.positional = path;
      state.inclusions.push(path);
      insert(root, path, { kind: 'include' });
      continue;
    }
    if (typeof value === 'boolean' || isNumericValue(value)) {
      const include = isTruthyFlag(value);
      if (key === '_id') {
        state.idMentioned = true;
        state.idExcluded = !include;
      } else if (include) state.inclusions.push(key);
      else state.exclusions.push(key);
      insert(root, key, { kind: include ? 'include' : 'exclude' });
      continue;
    }
    if (isPlainObject(value)) {
      const first = Object.keys(value)[0];
      if (first === undefined)
        throw badValue(`An empty sub-projection is not a valid value. Found empty object at path`);
      if (first === '$slice') {
        insert(root, key, parseSlice(value.$slice));
        continue;
      }
      if (first === '$elemMatch') {
        if (key.includes('.')) throw badValue('Cannot use $elemMatch projection on a nested field.');
        if (!isPlainObject(value.$elemMatch)) throw badValue('elemMatch: Invalid argument, object required.');
        state.inclusions.push(key);
        const filter = compileFilter({ [key]: { $elemMatch: value.$elemMatch } }, state.options);
        insert(root, key, { kind: 'elemMatch', filter });
        continue;
      }
      if (first === '$meta') {
        throw new EngineError(
          ErrorCodes.NotImplemented,
          'The embedded MongoDB engine does not support $meta projections',
        );
      }
      if (first.startsWith('$')) {
        state.inclusions.push(key);
        insert(root, key, { kind: 'expression', expr: value });
        continue;
      }
      parseInto(root, value, key, state);
      continue;
    }
    // Any other literal (strings, including "$field" paths, null, arrays, dates) is a computed field.
    if (key === '_id') state.idMentioned = true;
    else state.inclusions.push(key);
    insert(root, key, { kind: 'expression', expr: value });
  }
}

function applySlice(value: unknown, leaf: { skip: number | undefined; limit: number }): unknown {
  if (!Array.isArray(value)) return value;
  if (leaf.skip === undefined) {
    return leaf.limit >= 0 ? value.slice(0, leaf.limit) : value.slice(Math.max(0, value.length + leaf.limit));
  }
  const start = leaf.skip >= 0 ? Math.min(leaf.skip, value.length) : Math.max(0, value.length + leaf.skip);
  return value.slice(start, start + leaf.limit);
}

function firstElemMatch(doc: EngineDocument, key: string, filter: CompiledFilter): unknown[] | undefined {
  const value = doc[key];
  if (!Array.isArray(value)) return undefined;
  for (const el of value) if (filter.matches({ [key]: [el] })) return [el];
  return undefined;
}

function includeObject(
  node: ProjectionNode,
  value: Record<string, unknown>,
  root: EngineDocument,
  isRoot: boolean,
  idIncluded: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const leaf = node.get(key);
    const v = value[key];
    if (leaf === undefined) {
      if (isRoot && key === '_id' && idIncluded) out[key] = v;
      continue;
    }
    switch (leaf.kind) {
      case 'include':
        out[key] = v;
        break;
      case 'slice':
        out[key] = applySlice(v, leaf);
        break;
      case 'elemMatch': {
        const match = isRoot ? firstElemMatch(value, key, leaf.filter) : undefined;
        if (match) out[key] = match;
        break;
      }
      case 'node':
        if (Array.isArray(v)) out[key] = includeArray(leaf.node, v, root);
        else if (isPlainObject(v)) out[key] = includeObject(leaf.node, v, root, false, idIncluded);
        break;
      default:
        break;
    }
  }
  return out;
}

function includeArray(node: ProjectionNode, arr: unknown[], root: EngineDocument): unknown[] {
  const out: unknown[] = [];
  for (const el of arr) {
    if (Array.isArray(el)) out.push(includeArray(node, el, root));
    else if (isPlainObject(el)) out.push(includeObject(node, el, root, false, false));
  }
  return out;
}

function excludeObject(
  node: ProjectionNode,
  value: Record<string, unknown>,
  isRoot: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const leaf = node.get(key);
    const v = value[key];
    if (leaf === undefined) {
      out[key] = v;
      continue;
    }
    switch (leaf.kind) {
      case 'exclude':
        break;
      case 'include':
        out[key] = v;
        break;
      case 'slice':
        out[key] = applySlice(v, leaf);
        break;
      case 'elemMatch': {
        const match = isRoot ? firstElemMatch(value, key, leaf.filter) : undefined;
        if (match) out[key] = match;
        break;
      }
      case 'node':
        if (Array.isArray(v)) out[key] = excludeArray(leaf.node, v);
        else if (isPlainObject(v)) out[key] = excludeObject(leaf.node, v, false);
        else out[key] = v;
        break;
      default:
        out[key] = v;
    }
  }
  return out;
}

function excludeArray(node: ProjectionNode, arr: unknown[]): unknown[] {
  return arr.map((el) =>
    Array.isArray(el) ? excludeArray(node, el) : isPlainObject(el) ? excludeObject(node, el, false) : el,
  );
}

/** Keeps only the matched element of the first array on the positional path. */
function applyPositional(out: EngineDocument, path: string, index: number | undefined): void {
  let container: unknown = out;
  for (const part of path.split('.')) {
    if (!isPlainObject(container)) return;
    const value = container[part];
    if (Array.isArray(value)) {
      if (index === undefined || index >= value.length) {
        throw new EngineError(
          51246,
          "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
        );
      }
      container[part] = [value[index]];
      return;
    }
    container = value;
  }
}

function collectExpressions(node: ProjectionNode, prefix: string[], out: [string[], unknown][]): void {
  for (const [key, leaf] of node) {
    if (leaf.kind === 'expression') out.push([[...prefix, key], leaf.expr]);
    else if (leaf.kind === 'node') collectExpressions(leaf.node, [...prefix, key], out);
  }
}

function setPath(doc: Record<string, unknown>, parts: string[], value: unknown): void {
  let container = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    let child = container[parts[i]!];
    if (!isPlainObject(child)) {
      child = {};
      container[parts[i]!] = child;
    }
    container = child as Record<string, unknown>;
  }
  if (value === undefined) delete container[parts.at(-1)!];
  else container[parts.at(-1)!] = value;
}

/**
 * Compiles a find projection. Mixing inclusion and exclusion (other than `_id`) throws 31253 /
 * 31254, overlapping paths 31250, and `$meta` NotImplemented, as mongod does.
 */
export function compileProjection(
  spec: Record<string, unknown> | undefined | null,
  options: ProjectionOptions = {},
): CompiledProjection {
  const normalized = (normalizeValue(spec ?? {}) ?? {}) as Record<string, unknown>;
  const root: ProjectionNode = new Map();
  const state: ParseState = {
    inclusions: [],
    exclusions: [],
    positional: undefined,
    idExcluded: false,
    idMentioned: false,
    options,
  };
  parseInto(root, normalized, '', state);
  if (state.inclusions.length > 0 && state.exclusions.length > 0) {
    const firstSpecKey = Object.keys(normalized).find((k) => k !== '_id')!;
    const firstIsInclusion = state.inclusions.some(
      (p) => p === firstSpecKey || p.startsWith(firstSpecKey + '.'),
    );
    if (firstIsInclusion) {
      throw new EngineError(
        31254,
        `Cannot do exclusion on field ${state.exclusions[0]} in inclusion projection`,
      );
    }
    throw new EngineError(
      31253,
      `Cannot do inclusion on field ${state.inclusions[0]} in exclusion projection`,
    );
  }
  const mode: 'inclusion' | 'exclusion' =
    state.inclusions.length > 0 || (state.exclusions.length === 0 && state.idMentioned && !state.idExcluded)
      ? 'inclusion'
      : 'exclusion';
  const expressions: [string[], unknown][] = [];
  collectExpressions(root, [], expressions);
  if (mode === 'exclusion' && expressions.length > 0) {
    throw new EngineError(31252, 'Cannot use expression other than $meta in exclusion projection');
  }
  for (const [, expr] of expressions) assertNoServerJavaScript(expr);
  let computed: { exprs: [string[], unknown][]; opts: ReturnType<typeof mingoOptions> } | undefined;
  if (expressions.length > 0) {
    const now = options.now;
    computed = {
      exprs: expressions.map(([parts, expr]) => [parts, bindNow(toPlain(expr), now)]),
      opts: mingoOptions({ now, variables: options.variables }),
    };
  }
  const idIncluded = !state.idExcluded;
  const isIdentity = Object.keys(normalized).length === 0;

  const project = (doc: EngineDocument, matchedIndex?: number): EngineDocument => {
    if (isIdentity) return doc;
    let out: EngineDocument;
    if (mode === 'inclusion') {
      out = includeObject(root, doc, doc, true, idIncluded);
      if (state.positional !== undefined) applyPositional(out, state.positional, matchedIndex);
      if (computed) {
        const plain = toPlain(doc);
        for (const [parts, expr] of computed.exprs) {
          const value = evaluatePlain(plain, expr, computed.opts);
          setPath(out, parts, value === undefined ? undefined : fromPlain(value));
        }
      }
    } else {
      out = excludeObject(root, doc, true);
    }
    return out;
  };
  return Object.assign(project, { requiresPosition: state.positional !== undefined, mode });
}
