/**
 * Pure: numeric semantics across int32 / double / long / decimal128: exact cross-type comparison
 * and the type-promoting arithmetic mongod's update operators use ($inc, $mul, $bit).
 */
import { Decimal128, Double, Long } from 'bson';

export type NumberKind = 'int' | 'long' | 'double' | 'decimal';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function tagOf(v: unknown): string | undefined {
  return typeof v === 'object' && v !== null ? (v as { _bsontype?: string })._bsontype : undefined;
}

/** True for any BSON number: JS number, bigint, Double, Int32, Long, Decimal128. */
export function isNumericValue(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  const t = tagOf(v);
  return t === 'Double' || t === 'Int32' || t === 'Long' || t === 'Decimal128';
}

/** The BSON numeric type of a numeric value (a JS number is "int" when bson would write it as Int32). */
export function numberKind(v: unknown): NumberKind | undefined {
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0) ? 'int' : 'double';
  }
  if (typeof v === 'bigint') return 'long';
  switch (tagOf(v)) {
    case 'Double':
      return 'double';
    case 'Int32':
      return 'int';
    case 'Long':
      return 'long';
    case 'Decimal128':
      return 'decimal';
    default:
      return undefined;
  }
}

/** Nearest JS double for any numeric value. */
export function toJsNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  switch (tagOf(v)) {
    case 'Double':
    case 'Int32':
      return (v as { value: number }).value;
    case 'Long':
      return (v as Long).toNumber();
    case 'Decimal128':
      return Number((v as Decimal128).toString());
    default:
      return NaN;
  }
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (tagOf(v) === 'Long') return (v as Long).toBigInt();
  return BigInt(toJsNumber(v));
}

/** Wraps a double result so it serializes as a BSON double even when its value looks like an int32. */
export function makeDouble(x: number): number | Double {
  return Number.isInteger(x) && x >= INT32_MIN && x <= INT32_MAX ? new Double(x) : x;
}

// ---------------------------------------------------------------------------------------------
// Exact values

/** A finite number as sign * coefficient * 10^exponent, or NaN / +-Infinity. */
interface DecimalParts {
  special?: 'nan' | 'inf' | '-inf';
  negative: boolean;
  coefficient: bigint;
  exponent: number;
}

const decimalCache = new WeakMap<object, DecimalParts>();
const DECIMAL_RE = /^(-|\+)?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimalString(s: string): DecimalParts {
  if (/^[+-]?nan$/i.test(s)) return { special: 'nan', negative: false, coefficient: 0n, exponent: 0 };
  if (/^\+?inf(inity)?$/i.test(s)) return { special: 'inf', negative: false, coefficient: 0n, exponent: 0 };
  if (/^-inf(inity)?$/i.test(s)) return { special: '-inf', negative: true, coefficient: 0n, exponent: 0 };
  const m = DECIMAL_RE.exec(s);
  if (!m) throw new Error(`invalid decimal string ${s}`);
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  const exp = Number(m[4] ?? '0') - fracPart.length;
  return {
    negative: m[1] === '-',
    coefficient: BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0'),
    exponent: exp,
  };
}

function decimalParts(v: Decimal128): DecimalParts {
  let parts = decimalCache.get(v);
  if (!parts) {
    parts = parseDecimalString(v.toString());
    decimalCache.set(v, parts);
  }
  return parts;
}

/** An exact rational num/den (den > 0), or a non-finite marker. */
type Exact =
  { kind: 'nan' } | { kind: 'inf'; negative: boolean } | { kind: 'finite'; num: bigint; den: bigint };

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

function doubleToExact(x: number): Exact {
  if (Number.isNaN(x)) return { kind: 'nan' };
  if (!Number.isFinite(x)) return { kind: 'inf', negative: x < 0 };
  if (Number.isSafeInteger(x)) return { kind: 'finite', num: BigInt(x), den: 1n };
  F64[0] = x;
  const bits = U64[0]!;
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exp: number;
  if (biased === 0) {
    exp = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  const signed = negative ? -mantissa : mantissa;
  return exp >= 0
    ? { kind: 'finite', num: signed << BigInt(exp), den: 1n }
    : { kind: 'finite', num: signed, den: 1n << BigInt(-exp) };
}

function decimalToExact(d: DecimalParts): Exact {
  if (d.special === 'nan') return { kind: 'nan' };
  if (d.special) return { kind: 'inf', negative: d.special === '-inf' };
  const c = d.negative ? -d.coefficient : d.coefficient;
  return d.exponent >= 0
    ? { kind: 'finite', num: c * 10n ** BigInt(d.exponent), den: 1n }
    : { kind: 'finite', num: c, den: 10n ** BigInt(-d.exponent) };
}

function toExact(v: unknown): Exact {
  switch (numberKind(v)) {
    case 'long':
      return { kind: 'finite', num: toBigInt(v), den: 1n };
    case 'decimal':
      return decimalToExact(decimalParts(v as Decimal128));
    default:
      return doubleToExact(toJsNumber(v));
  }
}

function compareExact(a: Exact, b: Exact): number {
  if (a.kind === 'nan') return b.kind === 'nan' ? 0 : -1;
  if (b.kind === 'nan') return 1;
  if (a.kind === 'inf') {
    if (b.kind === 'inf' && a.negative === b.negative) return 0;
    return a.negative ? -1 : 1;
  }
  if (b.kind === 'inf') return b.negative ? 1 : -1;
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Compares a bigint with a double exactly. */
function compareBigIntDouble(big: bigint, x: number): number {
  if (Number.isNaN(x)) return 1;
  if (x === Infinity) return -1;
  if (x === -Infinity) return 1;
  const floor = Math.floor(x);
  const fb = BigInt(floor);
  if (big < fb) return -1;
  if (big > fb) return 1;
  return x > floor ? -1 : 0;
}

/** Compares two numeric values by exact value; NaN equals NaN and sorts below every other number. */
export function compareNumbers(a: unknown, b: unknown): number {
  const ka = numberKind(a);
  const kb = numberKind(b);
  if ((ka === 'int' || ka === 'double') && (kb === 'int' || kb === 'double')) {
    const x = typeof a === 'number' ? a : (a as { value: number }).value;
    const y = typeof b === 'number' ? b : (b as { value: number }).value;
    if (x < y) return -1;
    if (x > y) return 1;
    if (x === y) return 0;
    const nx = Number.isNaN(x);
    const ny = Number.isNaN(y);
    return nx && ny ? 0 : nx ? -1 : 1;
  }
  if (ka === 'long' && kb === 'long') {
    const x = toBigInt(a);
    const y = toBigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ka === 'long' && kb !== 'decimal') return compareBigIntDouble(toBigInt(a), toJsNumber(b));
  if (kb === 'long' && ka !== 'decimal') return -compareBigIntDouble(toBigInt(b), toJsNumber(a));
  return compareExact(toExact(a), toExact(b));
}

/** True when the value is NaN (double or decimal). */
export function isNaNValue(v: unknown): boolean {
  const k = numberKind(v);
  if (k === 'double') return Number.isNaN(toJsNumber(v));
  if (k === 'decimal') return decimalParts(v as Decimal128).special === 'nan';
  return false;
}

/**
 * A canonical string for a number's exact value, equal for equal values of any numeric type
 * (used to hash index keys). NaN -> "NaN", infinities -> "Infinity"/"-Infinity".
 */
export function canonicalNumberString(v: unknown): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return Object.is(v, -0) ? '0' : String(v);
  const e = toExact(v);
  if (e.kind === 'nan') return 'NaN';
  if (e.kind === 'inf') return e.negative ? '-Infinity' : 'Infinity';
  let { num, den } = e;
  if (den === 1n) return num.toString();
  let a = num < 0n ? -num : num;
  let b = den;
  while (b !== 0n) [a, b] = [b, a % b];
  num /= a;
  den /= a;
  return den === 1n ? num.toString() : `${num}/${den}`;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/** Result of an update arithmetic operation; `undefined` value means a long overflow. */
export type ArithmeticOp = 'add' | 'multiply';

const KIND_ORDER: Record<NumberKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * Adds or multiplies two BSON numbers with mongod's type promotion: int op int -> int (overflow
 * -> long); long involved -> long (overflow -> `undefined`, which mongod reports as an error);
 * double involved -> double; decimal involved -> decimal.
 */
export function arithmetic(op: ArithmeticOp, a: unknown, b: unknown): unknown {
  const ka = numberKind(a)!;
  const kb = numberKind(b)!;
  const kind = KIND_ORDER[ka] >= KIND_ORDER[kb] ? ka : kb;
  switch (kind) {
    case 'int': {
      const x = toJsNumber(a);
      const y = toJsNumber(b);
      const r = op === 'add' ? x + y : x * y;
      if (r >= INT32_MIN && r <= INT32_MAX) return r === 0 ? 0 : r;
      return Long.fromBigInt(op === 'add' ? BigInt(x) + BigInt(y) : BigInt(x) * BigInt(y));
    }
    case 'long': {
      const x = toBigInt(a);
      const y = toBigInt(b);
      const r = op === 'add' ? x + y : x * y;
      if (r < LONG_MIN || r > LONG_MAX) return undefined;
      return Long.fromBigInt(r);
    }
    case 'double': {
      const x = toJsNumber(a);
      const y = toJsNumber(b);
      return makeDouble(op === 'add' ? x + y : x * y);
    }
    case 'decimal':
      return decimalArithmetic(op, toDecimalParts(a), toDecimalParts(b));
  }
}

/** Converts any number to decimal parts; doubles keep 15 significant digits as mongod does. */
function toDecimalParts(v: unknown): DecimalParts {
  switch (numberKind(v)) {
    case 'decimal':
      return decimalParts(v as Decimal128);
    case 'long':
    case 'int': {
      const big = toBigInt(v);
      return { negative: big < 0n, coefficient: big < 0n ? -big : big, exponent: 0 };
    }
    default: {
      const x = toJsNumber(v);
      if (Number.isNaN(x)) return { special: 'nan', negative: false, coefficient: 0n, exponent: 0 };
      if (!Number.isFinite(x))
        return { special: x > 0 ? 'inf' : '-inf', negative: x < 0, coefficient: 0n, exponent: 0 };
      return parseDecimalString(x.toPrecision(15));
    }
  }
}

function decimalArithmetic(op: ArithmeticOp, a: DecimalParts, b: DecimalParts): Decimal128 {
  if (a.special === 'nan' || b.special === 'nan') return Decimal128.fromString('NaN');
  if (a.special || b.special) {
    if (op === 'add') {
      if (a.special && b.special && a.special !== b.special) return Decimal128.fromString('NaN');
      return Decimal128.fromString((a.special ?? b.special) === 'inf' ? 'Infinity' : '-Infinity');
    }
    const zero = (!a.special && a.coefficient === 0n) || (!b.special && b.coefficient === 0n);
    if (zero) return Decimal128.fromString('NaN');
    return Decimal128.fromString(a.negative !== b.negative ? '-Infinity' : 'Infinity');
  }
  const ca = a.negative ? -a.coefficient : a.coefficient;
  const cb = b.negative ? -b.coefficient : b.coefficient;
  let coefficient: bigint;
  let exponent: number;
  if (op === 'multiply') {
    coefficient = ca * cb;
    exponent = a.exponent + b.exponent;
  } else {
    exponent = Math.min(a.exponent, b.exponent);
    coefficient = ca * 10n ** BigInt(a.exponent - exponent) + cb * 10n ** BigInt(b.exponent - exponent);
  }
  const negativeZero =
    coefficient === 0n && (op === 'multiply' ? a.negative !== b.negative : a.negative && b.negative);
  return formatDecimal(coefficient, exponent, negativeZero);
}

/** Rounds a coefficient to Decimal128's 34 digits (half-even) and builds the value. */
function formatDecimal(coefficient: bigint, exponent: number, negativeZero: boolean): Decimal128 {
  const negative = coefficient < 0n || negativeZero;
  let c = coefficient < 0n ? -coefficient : coefficient;
  let e = exponent;
  let digits = c.toString().length;
  while (digits > 34) {
    const drop = digits - 34;
    const div = 10n ** BigInt(drop);
    const q = c / div;
    const r = c % div;
    const half = div / 2n;
    c = r > half || (r === half && q % 2n === 1n) ? q + 1n : q;
    e += drop;
    digits = c.toString().length;
  }
  return Decimal128.fromString(`${negative ? '-' : ''}${c}E${e}`);
}

/** Bitwise and/or/xor for int and long operands (mongod's $bit); int op int stays int. */
export function bitwise(op: 'and' | 'or' | 'xor', a: unknown, b: unknown): unknown {
  const ka = numberKind(a);
  const kb = numberKind(b);
  if (ka === 'int' && kb === 'int') {
    const x = toJsNumber(a);
    const y = toJsNumber(b);
    return op === 'and' ? x & y : op === 'or' ? x | y : x ^ y;
  }
  const x = BigInt.asIntN(64, toBigInt(a));
  const y = BigInt.asIntN(64, toBigInt(b));
  const r = op === 'and' ? x & y : op === 'or' ? x | y : x ^ y;
  return Long.fromBigInt(BigInt.asIntN(64, r));
}

/** Truncates a numeric value toward zero to a bigint (for $mod); undefined for NaN/Infinity. */
export function truncateToBigInt(v: unknown): bigint | undefined {
  const k = numberKind(v);
  if (k === 'int' || k === 'long') return toBigInt(v);
  const x = toJsNumber(v);
  if (!Number.isFinite(x)) return undefined;
  return BigInt(Math.trunc(x));
}
