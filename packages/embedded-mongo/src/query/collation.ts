/**
 * Pure: MongoDB collations for string comparison, implemented with Intl.Collator (ICU, like
 * mongod). A collator changes how strings compare in filters, sorts and update operators;
 * field names and regular expressions are never collated.
 */
import { EngineError, ErrorCodes } from '../errors.js';
import { isPlainObject } from './bson-values.js';
import { isNumericValue, toJsNumber } from './numbers.js';

/** A string comparison in effect for one operation (absent = simple binary comparison). */
export interface Collator {
  compare(a: string, b: string): number;
  /** The collation document as given (for error messages and explain output). */
  readonly spec: Readonly<Record<string, unknown>>;
}

const KNOWN_FIELDS = new Set([
  'locale',
  'strength',
  'caseLevel',
  'caseFirst',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'normalization',
  'backwards',
  'version',
]);

const cache = new Map<string, Collator | undefined>();

function invalid(message: string): EngineError {
  return new EngineError(ErrorCodes.BadValue, message);
}

/**
 * Builds the collator for a collation document, or undefined for the simple collation (absent,
 * `{}` or `{locale: "simple"}`). Unknown fields, a missing or unsupported locale, and invalid
 * option values are refused like mongod refuses them.
 */
export function makeCollator(collation: unknown): Collator | undefined {
  if (collation === undefined || collation === null) return undefined;
  if (!isPlainObject(collation)) {
    throw new EngineError(
      ErrorCodes.TypeMismatch,
      "BSON field 'collation' is the wrong type, expected type 'object'",
    );
  }
  if (Object.keys(collation).length === 0) return undefined;
  const cacheKey = JSON.stringify(collation);
  if (cache.has(cacheKey)) return cache.get(cacheKey);
  const collator = buildCollator(collation);
  cache.set(cacheKey, collator);
  return collator;
}

function buildCollator(spec: Record<string, unknown>): Collator | undefined {
  for (const key of Object.keys(spec)) {
    if (!KNOWN_FIELDS.has(key))
      throw new EngineError(40415, `BSON field 'collation.${key}' is an unknown field.`);
  }
  const locale = spec.locale;
  if (locale === undefined)
    throw new EngineError(40414, "BSON field 'collation.locale' is missing but a required field");
  if (typeof locale !== 'string')
    throw new EngineError(
      ErrorCodes.TypeMismatch,
      "BSON field 'collation.locale' is the wrong type, expected type 'string'",
    );
  if (locale === 'simple') {
    if (Object.keys(spec).length > 1)
      throw invalid('Collation with locale "simple" cannot have other options');
    return undefined;
  }
  const tag = locale.replace(/_/g, '-').replace(/@collation=(\w+)/, '-u-co-$1');
  if (Intl.Collator.supportedLocalesOf([tag]).length === 0 && tag !== 'root') {
    throw invalid(`Field 'locale' is invalid in: { locale: "${locale}" }`);
  }
  const strength =
    spec.strength === undefined ? 3 : isNumericValue(spec.strength) ? toJsNumber(spec.strength) : NaN;
  if (!Number.isInteger(strength) || strength < 1 || strength > 5) {
    throw invalid(
      `Enumeration value '${String(spec.strength)}' for field 'collation.strength' is not a valid value.`,
    );
  }
  const caseLevel = spec.caseLevel === true;
  const caseFirst = spec.caseFirst ?? 'off';
  if (caseFirst !== 'off' && caseFirst !== 'upper' && caseFirst !== 'lower') {
    throw invalid(
      `Enumeration value '${String(caseFirst)}' for field 'collation.caseFirst' is not a valid value.`,
    );
  }
  const alternate = spec.alternate ?? 'non-ignorable';
  if (alternate !== 'non-ignorable' && alternate !== 'shifted') {
    throw invalid(
      `Enumeration value '${String(alternate)}' for field 'collation.alternate' is not a valid value.`,
    );
  }
  let sensitivity: 'base' | 'accent' | 'case' | 'variant';
  if (strength === 1) sensitivity = caseLevel ? 'case' : 'base';
  else if (strength === 2) sensitivity = caseLevel ? 'variant' : 'accent';
  else sensitivity = 'variant';
  const intl = new Intl.Collator(tag === 'root' ? 'und' : tag, {
    usage: 'sort',
    sensitivity,
    caseFirst: caseFirst === 'off' ? 'false' : caseFirst,
    numeric: spec.numericOrdering === true,
    ignorePunctuation: alternate === 'shifted',
  });
  return { compare: (a, b) => intl.compare(a, b), spec };
}
