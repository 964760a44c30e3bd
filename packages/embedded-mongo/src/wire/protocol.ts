/**
 * MongoDB wire-protocol framing: parses OP_MSG and legacy OP_QUERY requests and encodes OP_MSG /
 * OP_REPLY responses. Pure: bytes in, structures out.
 */
import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';

export const OpCode = {
  Reply: 1,
  Query: 2004,
  Compressed: 2012,
  Msg: 2013,
} as const;

export const MsgFlags = {
  checksumPresent: 1 << 0,
  moreToCome: 1 << 1,
  exhaustAllowed: 1 << 16,
} as const;

export const HEADER_SIZE = 16;
export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

/** The parsing options every incoming document goes through (see the value representation contract). */
export const DESERIALIZE_OPTIONS = { promoteValues: false, bsonRegExp: true } as const;

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface OpMsgRequest {
  kind: 'msg';
  header: MessageHeader;
  flags: number;
  body: Document;
  /** Kind-1 document sequences, keyed by identifier (e.g. `documents`, `updates`, `deletes`). */
  sequences: Map<string, Document[]>;
}

export interface OpQueryRequest {
  kind: 'query';
  header: MessageHeader;
  flags: number;
  fullCollectionName: string;
  numberToSkip: number;
  numberToReturn: number;
  query: Document;
}

export type ParsedRequest = OpMsgRequest | OpQueryRequest;

/** A message that was framed correctly but whose content is unusable; the server can still answer it. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly codeName: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export function readHeader(buf: Buffer): MessageHeader {
  return {
    messageLength: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/** Reads one BSON document at `offset`, checking its declared length against the bytes available. */
function readDocument(buf: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw invalidBson('document truncated');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw invalidBson(`invalid document length ${size}`);
  let doc: Document;
  try {
    doc = deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
  } catch (err) {
    throw invalidBson((err as Error).message);
  }
  return { doc, next: offset + size };
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw invalidBson('unterminated string');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

function invalidBson(detail: string): ProtocolError {
  return new ProtocolError(`invalid BSON in message: ${detail}`, 22, 'InvalidBSON');
}

/** Parses one complete message (header included). Throws ProtocolError for unusable content. */
export function parseMessage(buf: Buffer): ParsedRequest {
  const header = readHeader(buf);
  const end = header.messageLength;
  if (header.opCode === OpCode.Msg) return parseOpMsg(buf, header, end);
  if (header.opCode === OpCode.Query) return parseOpQuery(buf, header, end);
  if (header.opCode === OpCode.Compressed) {
    throw new ProtocolError('compression is not supported by this server', 2, 'BadValue');
  }
  throw new ProtocolError(`unsupported opcode ${header.opCode}`, 2, 'BadValue');
}

function parseOpMsg(buf: Buffer, header: MessageHeader, messageEnd: number): OpMsgRequest {
  if (messageEnd < HEADER_SIZE + 5) throw invalidBson('OP_MSG too short');
  const flags = buf.readUInt32LE(HEADER_SIZE);
  // Bits 0-15 are "required": an unknown one means we cannot safely interpret the message.
  const knownRequired = MsgFlags.checksumPresent | MsgFlags.moreToCome;
  if ((flags & 0xffff & ~knownRequired) !== 0) {
    throw new ProtocolError(
      `unrecognized required OP_MSG flag bits: ${flags & 0xffff}`,
      40417,
      'Location40417',
    );
  }
  const end = flags & MsgFlags.checksumPresent ? messageEnd - 4 : messageEnd;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences = new Map<string, Document[]>();
  while (offset < end) {
    const kind = buf.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG has more than one body section', 40430, 'Location40430');
      const read = readDocument(buf, offset, end);
      body = read.doc;
      offset = read.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw invalidBson('document sequence truncated');
      const size = buf.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw invalidBson(`invalid document sequence length ${size}`);
      const name = readCString(buf, offset + 4, seqEnd);
      const docs: Document[] = [];
      let pos = name.next;
      while (pos < seqEnd) {
        const read = readDocument(buf, pos, seqEnd);
        docs.push(read.doc);
        pos = read.next;
      }
      if (sequences.has(name.value)) {
        throw new ProtocolError(`duplicate document sequence: ${name.value}`, 40431, 'Location40431');
      }
      sequences.set(name.value, docs);
      offset = seqEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`, 40432, 'Location40432');
    }
  }
  if (!body) throw new ProtocolError('OP_MSG has no body section', 40587, 'Location40587');
  return { kind: 'msg', header, flags, body, sequences };
}

function parseOpQuery(buf: Buffer, header: MessageHeader, end: number): OpQueryRequest {
  if (end < HEADER_SIZE + 4 + 1 + 8 + 5) throw invalidBson('OP_QUERY too short');
  const flags = buf.readInt32LE(HEADER_SIZE);
  const name = readCString(buf, HEADER_SIZE + 4, end);
  if (name.next + 8 > end) throw invalidBson('OP_QUERY truncated');
  const numberToSkip = buf.readInt32LE(name.next);
  const numberToReturn = buf.readInt32LE(name.next + 4);
  const query = readDocument(buf, name.next + 8, end);
  return {
    kind: 'query',
    header,
    flags,
    fullCollectionName: name.value,
    numberToSkip,
    numberToReturn,
    query: query.doc,
  };
}

function headerBuffer(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return header;
}

/** An OP_MSG reply with a single kind-0 section and no checksum. */
export function encodeOpMsg(body: Document, requestId: number, responseTo: number): Buffer {
  const bson = serialize(body);
  const length = HEADER_SIZE + 4 + 1 + bson.length;
  const prefix = Buffer.allocUnsafe(5);
  prefix.writeUInt32LE(0, 0);
  prefix.writeUInt8(0, 4);
  return Buffer.concat([headerBuffer(length, requestId, responseTo, OpCode.Msg), prefix, bson], length);
}

/** A legacy OP_REPLY carrying the given documents (used only for the OP_QUERY handshake). */
export function encodeOpReply(docs: Document[], requestId: number, responseTo: number, flags = 0): Buffer {
  const bsons = docs.map((doc) => serialize(doc));
  const bodyLength = bsons.reduce((sum, b) => sum + b.length, 0);
  const length = HEADER_SIZE + 20 + bodyLength;
  const fixed = Buffer.alloc(20);
  fixed.writeInt32LE(flags, 0);
  fixed.writeBigInt64LE(0n, 4);
  fixed.writeInt32LE(0, 12);
  fixed.writeInt32LE(docs.length, 16);
  return Buffer.concat([headerBuffer(length, requestId, responseTo, OpCode.Reply), fixed, ...bsons], length);
}
