/**
 * TCP front door of the embedded engine: frames wire-protocol messages per connection, hands each
 * one to the command dispatcher and writes the reply. A bad message costs at most its own
 * connection; the process and the other connections carry on.
 */
import net from 'node:net';
import type { Document } from 'bson';
import {
  encodeOpMsg,
  encodeOpReply,
  HEADER_SIZE,
  MAX_MESSAGE_SIZE,
  MsgFlags,
  parseMessage,
  ProtocolError,
  readHeader,
} from './protocol.js';
import type { ParsedRequest } from './protocol.js';
import { EngineError } from '../errors.js';

export interface ConnectionInfo {
  connectionId: number;
  remoteAddress: string;
  /** `client.application.name` from the connection's handshake, once it has been seen. */
  appName?: string;
}

/** A handler's answer meaning: close this connection without replying (mongod's `closeConnection`). */
export const CLOSE_CONNECTION: unique symbol = Symbol('close connection');

/** The reply body, undefined when no reply is due, or CLOSE_CONNECTION. */
export type HandlerReply = Document | undefined | typeof CLOSE_CONNECTION;

/**
 * Answers one parsed request. A promise delays the answer; the connection's later requests wait
 * for it (replies stay in order) while other connections carry on.
 */
export type RequestHandler = (
  request: ParsedRequest,
  connection: ConnectionInfo,
) => HandlerReply | Promise<HandlerReply>;

export interface WireServerOptions {
  host?: string;
  port?: number;
  handler: RequestHandler;
  /** Builds the error reply for an exception the handler let escape. */
  errorReply: (err: unknown) => Document;
  onConnectionOpened?: (connection: ConnectionInfo) => void;
  onConnectionClosed?: (connection: ConnectionInfo) => void;
}

export interface WireServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

const QUERY_FAILURE_FLAG = 2;

export async function startWireServer(options: WireServerOptions): Promise<WireServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  let nextResponseId = 1;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connection: ConnectionInfo = {
      connectionId: nextConnectionId++,
      remoteAddress: `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`,
    };
    options.onConnectionOpened?.(connection);
    let pending: Buffer[] = [];
    let pendingBytes = 0;

    const reply = (bytes: Buffer): void => {
      if (!socket.destroyed) socket.write(bytes);
    };

    // Framed messages not yet answered; one at a time, so a delayed answer holds back the rest.
    const waiting: Buffer[] = [];
    let answering = false;
    const drain = (): void => {
      try {
        while (!answering && waiting.length > 0 && !socket.destroyed) {
          const delayed = answer(waiting.shift()!);
          if (delayed) {
            answering = true;
            delayed.then(
              () => {
                answering = false;
                drain();
              },
              () => socket.destroy(),
            );
          }
        }
      } catch {
        // As for framing: anything unexpected costs this connection only.
        socket.destroy();
      }
    };

    const answer = (message: Buffer): Promise<void> | undefined => {
      const header = readHeader(message);
      let request: ParsedRequest;
      try {
        request = parseMessage(message);
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        const body = { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName };
        if (header.opCode === 2004) {
          reply(
            encodeOpReply(
              [{ $err: err.message, ...body }],
              nextResponseId++,
              header.requestId,
              QUERY_FAILURE_FLAG,
            ),
          );
        } else {
          reply(encodeOpMsg(body, nextResponseId++, header.requestId));
        }
        return undefined;
      }
      let outcome: HandlerReply | Promise<HandlerReply>;
      try {
        outcome = options.handler(request, connection);
      } catch (err) {
        outcome = options.errorReply(err);
      }
      if (outcome instanceof Promise) {
        return outcome.then(
          (body) => send(request, header.requestId, body),
          (err: unknown) => send(request, header.requestId, options.errorReply(err)),
        );
      }
      send(request, header.requestId, outcome);
      return undefined;
    };

    const send = (request: ParsedRequest, requestId: number, body: HandlerReply): void => {
      if (body === CLOSE_CONNECTION) {
        socket.destroy();
        return;
      }
      if (request.kind === 'msg' && request.flags & MsgFlags.moreToCome) return;
      if (!body) return;
      const encode = (doc: Document): Buffer =>
        request.kind === 'query'
          ? encodeOpReply([doc], nextResponseId++, requestId)
          : encodeOpMsg(doc, nextResponseId++, requestId);
      let bytes: Buffer;
      try {
        bytes = encode(body);
      } catch (err) {
        // A reply that cannot be serialized (e.g. larger than BSON allows) still gets an answer.
        const detail = err instanceof Error ? err.message : String(err);
        bytes = encode(
          options.errorReply(EngineError.of('BSONObjectTooLarge', `reply cannot be serialized: ${detail}`)),
        );
      }
      reply(bytes);
    };

    socket.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      try {
        while (pendingBytes >= 4) {
          if (pending[0]!.length < 4) pending = [Buffer.concat(pending, pendingBytes)];
          const length = pending[0]!.readInt32LE(0);
          // A length we cannot trust means the byte stream can no longer be split into messages.
          if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
            socket.destroy();
            return;
          }
          if (pendingBytes < length) break;
          const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
          const message = buf.subarray(0, length);
          const rest = buf.subarray(length);
          pending = rest.length ? [rest] : [];
          pendingBytes = rest.length;
          waiting.push(message);
        }
        drain();
      } catch {
        // Anything unexpected while framing: drop this connection, keep the server.
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      options.onConnectionClosed?.(connection);
    });
  });
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);

  return {
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
