import { describe, expect, it } from '@jest/globals';
import { assetSearchKeys, equalityKey, searchKeyMaxLength, searchTerms } from '../../../src/domain/index.js';

const laptop = {
  tag: 'LAP-0042',
  serial: 'C02XK1',
  name: 'ThinkPad X1 Carbon',
  model: 'X1 Carbon Gen 11',
  manufacturer: 'Lenovo',
  category: 'Laptop',
  location: 'München office',
};

describe('assetSearchKeys', () => {
  const keys = assetSearchKeys(laptop);

  it('keys every prefix of every word of tag, serial, name, model, manufacturer, category and location', () => {
    for (const key of [
      'l',
      'la',
      'lap',
      '0042',
      '00',
      'c02xk1',
      'c0',
      'thinkpad',
      'think',
      'x',
      'x1',
      'carbon',
    ]) {
      expect(keys).toContain(key);
    }
    expect(keys).toEqual(expect.arrayContaining(['gen', '11', 'lenovo', 'len', 'laptop', 'office']));
  });

  it('is lower-case and accent-folded', () => {
    expect(keys).toContain('munchen');
    expect(keys).not.toContain('München'.toLowerCase());
    expect(keys.every((key) => key === key.toLowerCase())).toBe(true);
  });

  it('is sorted without repeats', () => {
    expect(keys).toEqual([...new Set(keys)].sort());
  });

  it('caps prefixes of long words', () => {
    const long = assetSearchKeys({ tag: 'T1', name: 'a'.repeat(40), category: 'c' });
    expect(Math.max(...long.map((key) => key.length))).toBe(searchKeyMaxLength);
  });

  it('leaves out fields an asset does not have', () => {
    expect(assetSearchKeys({ tag: 'T1', name: 'Desk', category: 'Furniture' })).toEqual(
      [
        ...new Set([
          't',
          't1',
          'd',
          'de',
          'des',
          'desk',
          'f',
          'fu',
          'fur',
          'furn',
          'furni',
          'furnit',
          'furnitu',
          'furnitur',
          'furniture',
        ]),
      ].sort(),
    );
  });
});

describe('searchTerms', () => {
  it('splits typed text into folded words, longest first', () => {
    expect(searchTerms('ThinkPad X1')).toEqual(['thinkpad', 'x1']);
    expect(searchTerms('lap-0042')).toEqual(['0042', 'lap']);
    expect(searchTerms('Müller')).toEqual(['muller']);
  });

  it('drops a word that starts another (it adds nothing) and repeats', () => {
    expect(searchTerms('mac macbook MACBOOK')).toEqual(['macbook']);
  });

  it('cuts long words to the longest stored prefix', () => {
    expect(searchTerms('x'.repeat(30))).toEqual(['x'.repeat(searchKeyMaxLength)]);
  });

  it('every typed prefix of an asset word is one of its keys', () => {
    const keys = new Set(assetSearchKeys(laptop));
    for (const typed of ['thinkp', 'x1 carb', 'LEN', 'lap-00', 'münch']) {
      expect(searchTerms(typed).every((term) => keys.has(term))).toBe(true);
    }
  });
});

describe('equalityKey', () => {
  it('compares whole values case-, accent- and spacing-insensitively', () => {
    expect(equalityKey('  Docking   Station ')).toBe('docking station');
    expect(equalityKey('Zürich')).toBe(equalityKey('zurich'));
  });
});
