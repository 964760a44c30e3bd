/**
 * Pure: the query language of the embedded MongoDB-compatible engine. Everything here works on
 * documents in the engine representation (see {@link normalizeDocument}) and never does I/O.
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
