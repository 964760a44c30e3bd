/**
 * Pure: the query language of the embedded MongoDB-compatible engine. Everything here works on
 * documents in the engine representation (see {@link normalizeDocument}) and never does I/O;
 * time comes from the caller (`now`).
 */
export {
  BSON_TYPE_CODES,
  bsonTypeCode,
  bsonTypeName,
  cloneValue,
  compareValues,
  isPlainObject,
  normalizeDocument,
  normalizeValue,
  TypeRank,
  typeRank,
  valuesEqual,
  valuesIdentical,
} from './bson-values.js';
export type { EngineDocument } from './bson-values.js';
export { compareNumbers, isNumericValue, numberKind } from './numbers.js';
export type { NumberKind } from './numbers.js';
export { assertSimpleCollation, compileFilter } from './matcher.js';
export type { CompiledFilter, FilterOptions } from './matcher.js';
export { evaluateLetVariables, fromPlain, toPlain } from './mingo-bridge.js';
export type { ExpressionContext } from './mingo-bridge.js';
export { applyUpdate, compileUpdate, isOperatorUpdate } from './update.js';
export type { ApplyOptions, CompiledUpdate, UpdateOptions, UpdateResult } from './update.js';
export { buildUpsertDocument, seedUpsertDocument } from './upsert.js';
export { compileProjection } from './projection.js';
export type { CompiledProjection, ProjectionOptions } from './projection.js';
export { compileSort, parseSortSpec, sortDocuments, sortKeyOf } from './sort.js';
export type { DocumentComparator, SortField, SortOptions } from './sort.js';
export { makeCollator } from './collation.js';
export type { Collator } from './collation.js';
export {
  compareIndexKeys,
  compileIndexKeys,
  indexKeyInfo,
  indexKeys,
  keyToString,
  parseKeyPattern,
} from './index-keys.js';
export type { IndexKeyField, IndexKeyInfo } from './index-keys.js';
export { runPipeline } from './aggregate.js';
export type { PipelineContext } from './aggregate.js';
export { formatValue } from './format.js';
export { getPath, pathValues } from './path-values.js';
