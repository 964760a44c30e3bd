import { describe, expect, it } from '@jest/globals';
import { Double } from 'bson';
import { Engine } from '../../src/engine.js';

const connection = { connectionId: 1, remoteAddress: 'test' };

describe('engine dispatch', () => {
  it('strips generic arguments before running a command', () => {
    const engine = new Engine();
    const reply = engine.runCommand(
      {
        insert: 'c',
        documents: [{ a: 1 }],
        $db: 'd',
        lsid: { id: 'x' },
        writeConcern: { w: 1 },
        comment: 'c',
        maxTimeMS: 10,
        apiVersion: '1',
      },
      connection,
    );
    expect(reply).toMatchObject({ n: 1 });
    expect(reply.ok).toBeInstanceOf(Double);
  });

  it('refuses transaction arguments with IllegalOperation (20)', () => {
    const engine = new Engine();
    const reply = engine.runCommand({ find: 'c', txnNumber: 1, $db: 'd' }, connection);
    expect(reply).toMatchObject({ ok: new Double(0), code: 20, codeName: 'IllegalOperation' });
  });

  it('answers unknown commands with CommandNotFound (59)', () => {
    const reply = new Engine().runCommand({ nope: 1, $db: 'd' }, connection);
    expect(reply).toMatchObject({ code: 59, codeName: 'CommandNotFound', errmsg: "no such command: 'nope'" });
  });

  it('does not treat inherited object properties as commands', () => {
    const reply = new Engine().runCommand({ toString: 1, $db: 'd' }, connection);
    expect(reply.code).toBe(59);
  });

  it('requires $db', () => {
    expect(new Engine().runCommand({ ping: 1 }, connection).ok).toEqual(new Double(0));
  });

  it('answers a malformed argument with an error reply instead of throwing', () => {
    const engine = new Engine();
    const reply = engine.runCommand({ insert: 'c', documents: 'not-an-array', $db: 'd' }, connection);
    expect(reply.ok).toEqual(new Double(0));
    expect(typeof reply.errmsg).toBe('string');
  });

  it('expires documents with a TTL sweep driven by the injected clock', () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const engine = new Engine({ clock: () => now });
    engine.runCommand(
      { createIndexes: 'c', indexes: [{ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 60 }], $db: 'd' },
      connection,
    );
    engine.runCommand({ insert: 'c', documents: [{ at: new Date(now) }], $db: 'd' }, connection);
    now += 59_000;
    expect(engine.sweepExpired()).toBe(0);
    now += 2_000;
    expect(engine.sweepExpired()).toBe(1);
  });
});
