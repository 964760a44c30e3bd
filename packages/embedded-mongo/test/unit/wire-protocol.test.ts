import { describe, expect, it } from '@jest/globals';
import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { encodeOpMsg, encodeOpReply, parseMessage, ProtocolError } from '../../src/wire/protocol.js';

function opMsg(flags: number, sections: Buffer[], trailer = Buffer.alloc(0)): Buffer {
  const content = Buffer.concat([Buffer.alloc(4), ...sections, trailer]);
  content.writeUInt32LE(flags >>> 0, 0);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + content.length, 0);
  header.writeInt32LE(9, 4);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, content]);
}

const body = (doc: Document) => Buffer.concat([Buffer.from([0]), Buffer.from(serialize(doc))]);
function sequence(name: string, docs: Document[]): Buffer {
  const payload = Buffer.concat([Buffer.from(`${name}\0`), ...docs.map((d) => Buffer.from(serialize(d)))]);
  const size = Buffer.alloc(4);
  size.writeInt32LE(payload.length + 4, 0);
  return Buffer.concat([Buffer.from([1]), size, payload]);
}

describe('wire protocol parsing', () => {
  it('reads the body and kind-1 document sequences of an OP_MSG', () => {
    const parsed = parseMessage(
      opMsg(0, [body({ insert: 'c', $db: 'd' }), sequence('documents', [{ a: 1 }, { a: 2 }])]),
    );
    expect(parsed.kind).toBe('msg');
    if (parsed.kind !== 'msg') return;
    expect(parsed.body.insert).toBe('c');
    expect(parsed.sequences.get('documents')).toHaveLength(2);
    expect(parsed.header.requestId).toBe(9);
  });

  it('keeps Int32 and Double wrappers (promoteValues: false) for the engine to normalize', () => {
    const parsed = parseMessage(opMsg(0, [body({ find: 'c', limit: 1, $db: 'd' })]));
    if (parsed.kind !== 'msg') throw new Error('expected OP_MSG');
    expect(typeof parsed.body.limit).toBe('object');
  });

  it('skips a trailing checksum when checksumPresent is set', () => {
    const parsed = parseMessage(opMsg(1, [body({ ping: 1, $db: 'admin' })], Buffer.from([1, 2, 3, 4])));
    expect(parsed.kind === 'msg' && parsed.body.ping).toBeTruthy();
  });

  it.each([
    ['an unknown section kind', opMsg(0, [Buffer.from([5]), Buffer.from(serialize({ a: 1 }))])],
    ['a missing body', opMsg(0, [sequence('documents', [{ a: 1 }])])],
    ['two bodies', opMsg(0, [body({ a: 1 }), body({ b: 1 })])],
    ['an unknown required flag bit', opMsg(4, [body({ a: 1 })])],
    [
      'a document longer than the message',
      (() => {
        const b = body({ ping: 1 });
        b.writeInt32LE(500, 1);
        return opMsg(0, [b]);
      })(),
    ],
    [
      'an unknown opcode',
      (() => {
        const m = opMsg(0, [body({ a: 1 })]);
        m.writeInt32LE(4242, 12);
        return m;
      })(),
    ],
  ])('refuses %s with a ProtocolError', (_label, message) => {
    expect(() => parseMessage(message)).toThrow(ProtocolError);
  });

  it('parses a legacy OP_QUERY', () => {
    const ns = Buffer.from('admin.$cmd\0');
    const q = Buffer.from(serialize({ isMaster: 1 }));
    const msg = Buffer.alloc(16 + 4 + ns.length + 8 + q.length);
    msg.writeInt32LE(msg.length, 0);
    msg.writeInt32LE(2004, 12);
    ns.copy(msg, 20);
    msg.writeInt32LE(-1, 24 + ns.length);
    q.copy(msg, 28 + ns.length);
    const parsed = parseMessage(msg);
    expect(parsed.kind).toBe('query');
    if (parsed.kind === 'query') {
      expect(parsed.fullCollectionName).toBe('admin.$cmd');
      expect(parsed.numberToReturn).toBe(-1);
    }
  });

  it('encodes OP_MSG and OP_REPLY replies with correct lengths and responseTo', () => {
    const msg = encodeOpMsg({ ok: 1 }, 5, 9);
    expect(msg.readInt32LE(0)).toBe(msg.length);
    expect(msg.readInt32LE(8)).toBe(9);
    expect(msg.readUInt32LE(16)).toBe(0);
    expect(deserialize(msg.subarray(21))).toEqual({ ok: 1 });
    const reply = encodeOpReply([{ ismaster: true }], 6, 9);
    expect(reply.readInt32LE(0)).toBe(reply.length);
    expect(reply.readInt32LE(12)).toBe(1);
    expect(reply.readInt32LE(32)).toBe(1);
    expect(deserialize(reply.subarray(36))).toEqual({ ismaster: true });
  });
});
