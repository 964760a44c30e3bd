import { describe, expect, it } from '@jest/globals';
import { driverOptions, withUriOptions } from '../../support/unified/entities.js';

describe('client URI options', () => {
  it('adds options to a connection string with or without a path and query', () => {
    expect(withUriOptions('mongodb://127.0.0.1:27017', { retryReads: false })).toBe(
      'mongodb://127.0.0.1:27017/?retryReads=false',
    );
    expect(withUriOptions('mongodb://h:1/db0', { w: 1, readConcernLevel: 'local' })).toBe(
      'mongodb://h:1/db0?w=1&readConcernLevel=local',
    );
    expect(withUriOptions('mongodb://h:1/db0?appName=x', {})).toBe('mongodb://h:1/db0?appName=x');
  });

  it('overrides an option already in the string, whatever its case', () => {
    expect(withUriOptions('mongodb://h:1/?W=majority&appName=x', { w: 0 })).toBe(
      'mongodb://h:1/?appName=x&w=0',
    );
  });
});

describe('collection and database options', () => {
  it('builds driver read concern, read preference and write concern', () => {
    const options = driverOptions({
      readConcern: { level: 'majority' },
      readPreference: { mode: 'secondaryPreferred', maxStalenessSeconds: 600 },
      writeConcern: { w: 0 },
    });
    expect(options.readConcern).toEqual({ level: 'majority' });
    expect(options.readPreference).toMatchObject({ mode: 'secondaryPreferred', maxStalenessSeconds: 600 });
    expect(options.writeConcern).toEqual({ w: 0 });
  });

  it('rejects options it does not know', () => {
    expect(() => driverOptions({ bogus: 1 } as never)).toThrow(
      /unsupported collection\/database option bogus/,
    );
  });
});
