import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('malformed');
  await h.db.collection<Loose>('c').insertOne({ a: 1 });
});
afterAll(async () => {
  await h.close();
});

type Outcome =
  | { kind: 'reply'; opCode: number; responseTo: number; body: Document }
  | { kind: 'closed' }
  | { kind: 'silent' };

/** A raw connection that collects complete messages and notices when the server hangs up. */
class RawConnection {
  private readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private closed = false;
  private waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next reply, `closed` if the server hung up, or `silent` if nothing came within the wait. */
  async next(waitMs = 1000): Promise<Outcome> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.buffer.length >= 4) {
        const length = this.buffer.readInt32LE(0);
        if (this.buffer.length >= length) {
          const msg = this.buffer.subarray(0, length);
          this.buffer = this.buffer.subarray(length);
          const opCode = msg.readInt32LE(12);
          const bodyOffset = opCode === 2013 ? 21 : 36;
          return {
            kind: 'reply',
            opCode,
            responseTo: msg.readInt32LE(8),
            body: deserialize(msg.subarray(bodyOffset)),
          };
        }
      }
      if (this.closed) return { kind: 'closed' };
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { kind: 'silent' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

let requestId = 100;

function opMsg(
  body: Document,
  options: { flags?: number; sequences?: [string, Document[]][]; checksum?: boolean } = {},
): Buffer {
  const parts: Buffer[] = [];
  const flags = (options.flags ?? 0) | (options.checksum ? 1 : 0);
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags >>> 0, 0);
  parts.push(flagBytes, Buffer.from([0]), Buffer.from(serialize(body)));
  for (const [name, docs] of options.sequences ?? []) {
    const payload = Buffer.concat([Buffer.from(`${name}\0`), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  const content = Buffer.concat(parts);
  const length = 16 + content.length + (options.checksum ? 4 : 0);
  const header = Buffer.alloc(16);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(++requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  const message = Buffer.concat([header, content]);
  if (!options.checksum) return message;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32c(message), 0);
  return Buffer.concat([message, crc]);
}

function crc32c(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function withHeader(length: number, opCode: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(++requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

async function serverStillServes(): Promise<void> {
  const conn = await RawConnection.open(h.host, h.port);
  conn.write(opMsg({ find: 'c', filter: {}, $db: h.database.dbName }));
  const outcome = await conn.next(3000);
  conn.close();
  expect(outcome.kind).toBe('reply');
  if (outcome.kind === 'reply') expect(outcome.body.cursor.firstBatch).toHaveLength(1);
  expect(await h.db.collection<Loose>('c').countDocuments()).toBe(1);
}

describe('well-formed raw messages', () => {
  it('answers OP_MSG with document sequences, in order, even when split into single bytes', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    const msg = opMsg(
      { insert: 'seq', $db: h.database.dbName },
      { sequences: [['documents', [{ x: 1 }, { x: 2 }]]] },
    );
    for (const byte of msg) conn.write(Buffer.from([byte]));
    const reply = await conn.next(3000);
    expect(reply.kind).toBe('reply');
    if (reply.kind === 'reply') {
      expect(reply.opCode).toBe(2013);
      expect(reply.body.n).toBe(2);
    }
    conn.close();
  });

  it('answers two messages sent in one write', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(Buffer.concat([opMsg({ ping: 1, $db: 'admin' }), opMsg({ ping: 1, $db: 'admin' })]));
    expect((await conn.next()).kind).toBe('reply');
    expect((await conn.next()).kind).toBe('reply');
    conn.close();
  });

  it('sends no reply for moreToCome, but applies the write', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(opMsg({ insert: 'fire', documents: [{ y: 1 }], $db: h.database.dbName }, { flags: 2 }));
    conn.write(opMsg({ count: 'fire', $db: h.database.dbName }));
    const reply = await conn.next(3000);
    expect(reply.kind).toBe('reply');
    if (reply.kind === 'reply') expect(reply.body.n).toBe(1);
    conn.close();
  });

  it('accepts a message carrying a CRC-32C checksum and replies without one', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(opMsg({ ping: 1, $db: 'admin' }, { checksum: true }));
    const reply = await conn.next(3000);
    expect(reply.kind).toBe('reply');
    if (reply.kind === 'reply') expect(reply.body.ok).toBe(1);
    conn.close();
  });

  it('refuses a document over 16 MiB with a write error, keeping the connection', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    const huge = { _id: 'huge', blob: 'z'.repeat(17 * 1024 * 1024) };
    conn.write(opMsg({ insert: 'c', $db: h.database.dbName }, { sequences: [['documents', [huge]]] }));
    const reply = await conn.next(10000);
    expect(reply.kind).toBe('reply');
    if (reply.kind === 'reply') {
      const code = reply.body.ok === 1 ? reply.body.writeErrors?.[0]?.code : reply.body.code;
      expect([2, 10334]).toContain(code);
    }
    conn.write(opMsg({ count: 'c', $db: h.database.dbName }));
    const count = await conn.next(3000);
    expect(count.kind === 'reply' && count.body.n).toBe(1);
    conn.close();
  });

  it('replies with an error for an unknown query operator', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(opMsg({ find: 'c', filter: { a: { $frob: 1 } }, $db: h.database.dbName }));
    const reply = await conn.next(3000);
    expect(reply.kind).toBe('reply');
    if (reply.kind === 'reply') {
      expect(reply.body.ok).toBe(0);
      expect(reply.body.code).toBe(2);
      expect(reply.body.errmsg).toContain('unknown operator: $frob');
    }
    conn.close();
  });
});

describe('malformed messages', () => {
  it('hangs up on a message length below the header size, and keeps serving others', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(withHeader(8, 2013, Buffer.alloc(0)));
    expect((await conn.next(3000)).kind).toBe('closed');
    await serverStillServes();
  });

  it('hangs up on a message length beyond maxMessageSizeBytes', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(withHeader(64 * 1024 * 1024, 2013, Buffer.alloc(32)));
    expect((await conn.next(3000)).kind).toBe('closed');
    await serverStillServes();
  });

  it('answers or hangs up on truncated BSON inside a framed OP_MSG, never crashing', async () => {
    const body = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
    body.writeInt32LE(body.length + 50, 0); // the document claims more bytes than the message holds
    const payload = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), body]);
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(withHeader(16 + payload.length, 2013, payload));
    const outcome = await conn.next(3000);
    expect(['reply', 'closed']).toContain(outcome.kind);
    if (h.embedded) {
      expect(outcome.kind).toBe('reply');
      if (outcome.kind === 'reply') expect(outcome.body.ok).toBe(0);
    }
    conn.close();
    await serverStillServes();
  });

  it('answers or hangs up on an unknown opcode', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(withHeader(16 + 8, 9999, Buffer.alloc(8)));
    const outcome = await conn.next(3000);
    expect(['reply', 'closed']).toContain(outcome.kind);
    if (h.embedded) expect(outcome.kind).toBe('reply');
    conn.close();
    await serverStillServes();
  });

  it('survives random garbage and a connection dropped mid-message', async () => {
    const garbage = await RawConnection.open(h.host, h.port);
    const noise = Buffer.alloc(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) & 0xff;
    garbage.write(noise);
    await garbage.next(500);
    garbage.close();
    const partial = await RawConnection.open(h.host, h.port);
    partial.write(opMsg({ find: 'c', $db: h.database.dbName }).subarray(0, 20));
    partial.close();
    await serverStillServes();
  });

  it('rejects an OP_MSG with an unknown section kind or required flag bit', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    const bad = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from([7]),
      Buffer.from(serialize({ ping: 1, $db: 'admin' })),
    ]);
    conn.write(withHeader(16 + bad.length, 2013, bad));
    const outcome = await conn.next(3000);
    expect(['reply', 'closed']).toContain(outcome.kind);
    if (h.embedded && outcome.kind === 'reply') expect(outcome.body.ok).toBe(0);
    conn.close();
    await serverStillServes();
  });

  it('rejects an OP_MSG without $db', async () => {
    const conn = await RawConnection.open(h.host, h.port);
    conn.write(opMsg({ ping: 1 }));
    const outcome = await conn.next(3000);
    expect(outcome.kind).toBe('reply');
    if (outcome.kind === 'reply') expect(outcome.body.ok).toBe(0);
    conn.close();
  });
});
