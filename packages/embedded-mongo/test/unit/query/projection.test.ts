import { describe, expect, it } from '@jest/globals';
import { compileFilter, compileProjection } from '../../../src/query/index.js';
import { wire } from './wire.js';

const NOW = new Date('2024-05-01T00:00:00Z');

function project(doc: Record<string, unknown>, spec: Record<string, unknown>, matchedIndex?: number) {
  return compileProjection(wire(spec), { now: NOW })(wire(doc), matchedIndex);
}

function errorOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: number }).code, message: (err as Error).message };
  }
  throw new Error('expected an error');
}

const doc = {
  _id: 1,
  a: 1,
  b: { c: 2, d: 3 },
  arr: [{ x: 1, y: 1 }, { x: 2, y: 2 }, 5],
  tags: ['a', 'b', 'c', 'd'],
};

describe('inclusion projections', () => {
  it('keeps named fields and _id in document order', () => {
    expect(project(doc, { b: 1, a: 1 })).toEqual({ _id: 1, a: 1, b: { c: 2, d: 3 } });
    expect(Object.keys(project(doc, { b: 1, a: 1 }))).toEqual(['_id', 'a', 'b']);
  });

  it('drops _id when asked', () => {
    expect(project(doc, { a: 1, _id: 0 })).toEqual({ a: 1 });
    expect(project(doc, { _id: 1 })).toEqual({ _id: 1 });
  });

  it('includes dotted paths, through arrays of documents, dropping scalars', () => {
    expect(project(doc, { 'b.c': 1 })).toEqual({ _id: 1, b: { c: 2 } });
    expect(project(doc, { 'arr.x': 1 })).toEqual({ _id: 1, arr: [{ x: 1 }, { x: 2 }] });
    expect(project(doc, { b: { d: 1 } })).toEqual({ _id: 1, b: { d: 3 } });
  });

  it('omits fields that do not exist', () => {
    expect(project(doc, { nope: 1, 'a.x': 1 })).toEqual({ _id: 1 });
  });
});

describe('exclusion projections', () => {
  it('removes named fields, including dotted ones through arrays', () => {
    expect(project(doc, { b: 0, tags: 0, arr: 0 })).toEqual({ _id: 1, a: 1 });
    expect(project(doc, { 'b.c': 0, _id: 0, arr: 0, tags: 0 })).toEqual({ a: 1, b: { d: 3 } });
    expect(project(doc, { 'arr.y': 0, b: 0, tags: 0 })).toEqual({
      _id: 1,
      a: 1,
      arr: [{ x: 1 }, { x: 2 }, 5],
    });
  });

  it('refuses to mix inclusion and exclusion except for _id', () => {
    expect(errorOf(() => compileProjection({ a: 1, b: 0 }))).toEqual({
      code: 31254,
      message: 'Cannot do exclusion on field b in inclusion projection',
    });
    expect(errorOf(() => compileProjection({ b: 0, a: 1 })).code).toBe(31253);
    expect(() => compileProjection({ a: 1, _id: 0 })).not.toThrow();
  });

  it('refuses overlapping paths', () => {
    expect(errorOf(() => compileProjection({ a: 1, 'a.b': 1 })).code).toBe(31250);
  });
});

describe('array projection operators', () => {
  it('$slice keeps the first or last elements, or a [skip, limit] window', () => {
    expect(project(doc, { tags: { $slice: 2 } }).tags).toEqual(['a', 'b']);
    expect(project(doc, { tags: { $slice: -1 } }).tags).toEqual(['d']);
    expect(project(doc, { tags: { $slice: [1, 2] } }).tags).toEqual(['b', 'c']);
    expect(project(doc, { tags: { $slice: [-3, 2] } }).tags).toEqual(['b', 'c']);
  });

  it('$slice alone keeps all other fields; with inclusions only the named ones', () => {
    expect(Object.keys(project(doc, { tags: { $slice: 1 } }))).toEqual(['_id', 'a', 'b', 'arr', 'tags']);
    expect(project(doc, { a: 1, tags: { $slice: 1 } })).toEqual({ _id: 1, a: 1, tags: ['a'] });
  });

  it('$elemMatch returns the first matching element only', () => {
    expect(project(doc, { arr: { $elemMatch: { x: 2 } } })).toEqual({ _id: 1, arr: [{ x: 2, y: 2 }] });
    expect(project(doc, { arr: { $elemMatch: { x: 9 } } })).toEqual({ _id: 1 });
  });

  it('positional field.$ returns the element the query matched', () => {
    const filter = compileFilter({ 'arr.x': 2 });
    const d = wire(doc);
    const { arrayIndex } = filter.matchWithPosition(d);
    const p = compileProjection({ 'arr.$': 1 });
    expect(p.requiresPosition).toBe(true);
    expect(p(d, arrayIndex)).toEqual({ _id: 1, arr: [{ x: 2, y: 2 }] });
    expect(errorOf(() => p(d, undefined)).code).toBe(51246);
  });
});

describe('computed fields', () => {
  it('evaluates expressions, field paths and $literal', () => {
    expect(project(doc, { a: 1, sum: { $add: ['$a', '$b.c'] }, lit: { $literal: 1 }, path: '$b.d' })).toEqual(
      {
        _id: 1,
        a: 1,
        sum: 3,
        lit: 1,
        path: 3,
      },
    );
  });

  it('refuses expressions in exclusion projections and $meta', () => {
    expect(errorOf(() => compileProjection({ a: 0, x: { $literal: 1 } }, { now: NOW })).code).toBe(31253);
    expect(errorOf(() => compileProjection({ s: { $meta: 'textScore' } })).code).toBe(238);
  });

  it('an empty projection returns the document unchanged', () => {
    const d = wire(doc);
    expect(compileProjection({})(d)).toBe(d);
  });
});
