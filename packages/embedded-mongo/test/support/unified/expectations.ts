/** Assertions of a unified test on what the driver saw: expected errors and command-monitoring events. */
import type { Document, ExpectedError, ExpectedEventsForClient } from './format.js';
import type { EntityMap, RecordedCommandEvent } from './entities.js';
import { assertMatches, MatchError } from './match.js';
import { bulkWriteResultDocument, clientBulkWriteResultDocument, RunnerError } from './operations.js';

/** Names of the error's class and its ancestors (the driver's own bson/mongodb copy may differ from ours). */
function classNames(error: unknown): string[] {
  const names: string[] = [];
  let prototype = typeof error === 'object' && error !== null ? Object.getPrototypeOf(error) : null;
  while (prototype !== null && prototype !== Object.prototype) {
    const name = (prototype as { constructor?: { name?: string } }).constructor?.name;
    if (name) names.push(name);
    prototype = Object.getPrototypeOf(prototype);
  }
  return names;
}

function isServerError(error: unknown): boolean {
  return classNames(error).includes('MongoServerError');
}

interface ErrorShape {
  message?: string;
  code?: unknown;
  codeName?: unknown;
  errmsg?: unknown;
  errorResponse?: Document;
  writeErrors?: unknown;
  writeConcernError?: Document;
  result?: unknown;
  partialResult?: unknown;
  errorLabels?: unknown;
  hasErrorLabel?: (label: string) => boolean;
  cause?: unknown;
}

/** The individual server errors a (bulk) error aggregates, each as a raw document-like object. */
function aggregatedErrors(error: ErrorShape): Document[] {
  const parts: Document[] = [error as Document];
  if (error.errorResponse) parts.push(error.errorResponse);
  const writeErrors = error.writeErrors;
  const list = Array.isArray(writeErrors)
    ? writeErrors
    : writeErrors instanceof Map
      ? [...writeErrors.values()]
      : writeErrors
        ? [writeErrors]
        : [];
  for (const writeError of list as Document[]) {
    const raw = (writeError as { err?: Document }).err;
    parts.push(raw ?? writeError);
  }
  if (error.writeConcernError) parts.push(error.writeConcernError);
  const resultWce = (
    error.result as { getWriteConcernError?: () => Document | undefined } | undefined
  )?.getWriteConcernError?.();
  if (resultWce) parts.push(resultWce);
  return parts;
}

function fail(detail: string): never {
  throw new MatchError('expectError', detail);
}

export function assertExpectedError(error: unknown, expected: ExpectedError, entities: EntityMap): void {
  if (Object.keys(expected).length === 0) throw new RunnerError('expectError needs at least one assertion');
  const shape = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as ErrorShape;
  const description = `${classNames(error)[0] ?? typeof error}: ${shape.message ?? String(error)}`;
  const serverError = isServerError(error);

  if (expected.isClientError === true && serverError)
    fail(`expected a client-side error, got server error ${description}`);
  if (expected.isClientError === false && !serverError)
    fail(`expected a server error, got client-side ${description}`);
  if (expected.isTimeoutError !== undefined) {
    const timeout = classNames(error).includes('MongoOperationTimeoutError');
    if (timeout !== expected.isTimeoutError)
      fail(`expected isTimeoutError ${expected.isTimeoutError}, got ${description}`);
  }
  const parts = aggregatedErrors(shape);
  if (expected.errorContains !== undefined) {
    const needle = expected.errorContains.toLowerCase();
    const messages = parts.flatMap((part) =>
      [part.message, part.errmsg].filter((m): m is string => typeof m === 'string'),
    );
    if (!messages.some((message) => message.toLowerCase().includes(needle))) {
      fail(`expected message containing "${expected.errorContains}", got ${JSON.stringify(messages)}`);
    }
  }
  if (expected.errorCode !== undefined) {
    if (!serverError)
      fail(`expected server error code ${expected.errorCode}, got client-side ${description}`);
    const codes = parts.map((part) => part.code).filter((code) => code !== undefined);
    if (!codes.some((code) => Number(code) === expected.errorCode)) {
      fail(`expected code ${expected.errorCode}, got ${JSON.stringify(codes)} (${description})`);
    }
  }
  if (expected.errorCodeName !== undefined) {
    if (!serverError) fail(`expected server error ${expected.errorCodeName}, got client-side ${description}`);
    const names = parts
      .map((part) => part.codeName)
      .filter((name): name is string => typeof name === 'string');
    if (!names.some((name) => name.toLowerCase() === expected.errorCodeName!.toLowerCase())) {
      fail(`expected codeName ${expected.errorCodeName}, got ${JSON.stringify(names)} (${description})`);
    }
  }
  const hasLabel = (label: string): boolean =>
    typeof shape.hasErrorLabel === 'function'
      ? shape.hasErrorLabel(label)
      : Array.isArray(shape.errorLabels) && shape.errorLabels.includes(label);
  for (const label of expected.errorLabelsContain ?? []) {
    if (!hasLabel(label)) fail(`expected error label ${label} (${description})`);
  }
  for (const label of expected.errorLabelsOmit ?? []) {
    if (hasLabel(label)) fail(`expected no error label ${label} (${description})`);
  }
  if (expected.errorResponse !== undefined) {
    const response = shape.errorResponse ?? (serverError ? (shape as Document) : undefined);
    if (response === undefined) fail(`expected a server response, got ${description}`);
    prefixed('expectError.errorResponse', () =>
      assertMatches(expected.errorResponse, response, { entities }),
    );
  }
  if (expected.expectResult !== undefined) {
    const result =
      shape.partialResult !== undefined
        ? clientBulkWriteResultDocument(shape.partialResult)
        : bulkWriteResultDocument(shape.result);
    prefixed('expectError.expectResult', () => assertMatches(expected.expectResult, result, { entities }));
  }
  if (expected.writeErrors !== undefined) {
    const actual = shape.writeErrors instanceof Map ? shape.writeErrors : new Map();
    const expectedIndexes = Object.keys(expected.writeErrors);
    if (actual.size !== expectedIndexes.length)
      fail(`expected ${expectedIndexes.length} write errors, got ${actual.size}`);
    for (const index of expectedIndexes) {
      prefixed(`expectError.writeErrors.${index}`, () =>
        assertMatches(expected.writeErrors![index], actual.get(Number(index)), { entities }),
      );
    }
  }
  if (expected.writeConcernErrors !== undefined) {
    const actual = (shape as { writeConcernErrors?: unknown[] }).writeConcernErrors ?? [];
    if (actual.length !== expected.writeConcernErrors.length) {
      fail(`expected ${expected.writeConcernErrors.length} write concern errors, got ${actual.length}`);
    }
    expected.writeConcernErrors.forEach((wce, index) =>
      prefixed(`expectError.writeConcernErrors[${index}]`, () =>
        assertMatches(wce, actual[index], { entities }),
      ),
    );
  }
}

function prefixed(prefix: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof MatchError) throw new MatchError(prefix, error.message);
    throw error;
  }
}

const COMMAND_EVENT_KINDS = ['commandStartedEvent', 'commandSucceededEvent', 'commandFailedEvent'] as const;

function describeEvents(events: RecordedCommandEvent[]): string {
  return `[${events.map((event) => `${event.kind.replace('Event', '')}:${event.commandName}`).join(', ')}]`;
}

export function assertExpectedEvents(expectations: ExpectedEventsForClient[], entities: EntityMap): void {
  for (const expectation of expectations) {
    if (expectation.eventType !== undefined && expectation.eventType !== 'command') {
      throw new RunnerError(`eventType ${expectation.eventType} is not supported by this runner`);
    }
    const actual = entities.client(expectation.client).events;
    const expected = expectation.events;
    const countOk = expectation.ignoreExtraEvents
      ? actual.length >= expected.length
      : actual.length === expected.length;
    if (!countOk) {
      throw new MatchError(
        `expectEvents(${expectation.client})`,
        `expected ${expected.length} events ${JSON.stringify(expected.map((e) => Object.keys(e)[0] + ':' + (Object.values(e)[0] as Document | undefined)?.commandName))}, got ${actual.length} ${describeEvents(actual)}`,
      );
    }
    expected.forEach((expectedEvent, index) => {
      const path = `expectEvents(${expectation.client})[${index}]`;
      const kinds = Object.keys(expectedEvent);
      const kind = kinds[0];
      if (kinds.length !== 1 || !COMMAND_EVENT_KINDS.includes(kind as never)) {
        throw new RunnerError(`${path}: unsupported expected event ${kinds.join(', ')}`);
      }
      const event = actual[index]!;
      if (event.kind !== kind) {
        throw new MatchError(
          path,
          `expected ${kind}, got ${event.kind} for ${event.commandName} (all: ${describeEvents(actual)})`,
        );
      }
      const body = (expectedEvent as Record<string, Document>)[kind]!;
      for (const key of Object.keys(body)) {
        if (!['command', 'reply', 'commandName', 'databaseName'].includes(key)) {
          throw new RunnerError(`${path}: unsupported event assertion ${key}`);
        }
      }
      if (body.commandName !== undefined && body.commandName !== event.commandName) {
        throw new MatchError(
          `${path}.commandName`,
          `expected ${String(body.commandName)}, got ${event.commandName}`,
        );
      }
      if (body.databaseName !== undefined && body.databaseName !== event.databaseName) {
        throw new MatchError(
          `${path}.databaseName`,
          `expected ${String(body.databaseName)}, got ${event.databaseName}`,
        );
      }
      if (body.command !== undefined) {
        prefixed(`${path}.command`, () => assertMatches(body.command, event.command, { entities }));
      }
      if (body.reply !== undefined) {
        prefixed(`${path}.reply`, () => assertMatches(body.reply, event.reply, { entities }));
      }
    });
  }
}
