/**
 * Test-only fail points, as mongod offers them with test commands enabled (drivers' CI relies on
 * them). Only `failCommand` exists here: it makes chosen commands fail, close the connection, stall
 * or report a write concern error. Pure state: the dispatcher decides what each effect does.
 */
import { Double, Int32, Long } from 'bson';
import { EngineError } from './errors.js';
import { isPlainObject } from './values.js';
import type { Doc } from './values.js';

type Mode =
  | { kind: 'off' }
  | { kind: 'alwaysOn' }
  | { kind: 'times'; remaining: number }
  | { kind: 'skip'; remaining: number }
  | { kind: 'random'; probability: number };

interface FailPoint {
  mode: Mode;
  data: Doc;
  /** How often it fired since the process started (mongod never resets it). */
  timesEntered: number;
}

/** What an activated `failCommand` does to the command it caught, in mongod's order. */
export interface FailCommandEffect {
  /** Delay before anything else happens (0: none). */
  blockTimeMS: number;
  closeConnection: boolean;
  /** The error reply to send instead of running the command. */
  errorReply?: Doc;
}

/** The connection facts `failCommand` filters on. */
export interface FailPointClient {
  appName?: string;
}

const FAILPOINT_MESSAGE = "Failing command via 'failCommand' failpoint";

/** Names one mongod command answers to, so `failCommands: ['isMaster']` also catches `ismaster`. */
const ALIASES: Record<string, string[]> = {
  isMaster: ['ismaster'],
  ismaster: ['isMaster'],
  findAndModify: ['findandmodify'],
  findandmodify: ['findAndModify'],
  buildInfo: ['buildinfo'],
  buildinfo: ['buildInfo'],
};

/** Commands that accept a write concern; only they can carry a `writeConcernError`. */
const WRITE_CONCERN_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'renameCollection',
  'collMod',
]);

/** Whether mongod accepts a write concern for this command (aggregate only when it writes). */
export function acceptsWriteConcern(command: string, cmd: Doc): boolean {
  if (command !== 'aggregate') return WRITE_CONCERN_COMMANDS.has(command);
  const pipeline = Array.isArray(cmd.pipeline) ? cmd.pipeline : [];
  const last: unknown = pipeline[pipeline.length - 1];
  return isPlainObject(last) && ('$out' in last || '$merge' in last);
}

/** mongod's names for codes tests commonly ask `failCommand` for; others read `Location<code>`. */
const CODE_NAMES: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  6: 'HostUnreachable',
  7: 'HostNotFound',
  8: 'UnknownError',
  9: 'FailedToParse',
  11: 'UserNotFound',
  13: 'Unauthorized',
  18: 'AuthenticationFailed',
  20: 'IllegalOperation',
  24: 'LockTimeout',
  26: 'NamespaceNotFound',
  43: 'CursorNotFound',
  50: 'MaxTimeMSExpired',
  59: 'CommandNotFound',
  64: 'WriteConcernFailed',
  89: 'NetworkTimeout',
  91: 'ShutdownInProgress',
  96: 'OperationFailed',
  100: 'UnsatisfiableWriteConcern',
  112: 'WriteConflict',
  133: 'FailedToSatisfyReadPreference',
  134: 'ReadConcernMajorityNotAvailableYet',
  136: 'CappedPositionLost',
  175: 'QueryPlanKilled',
  189: 'PrimarySteppedDown',
  234: 'RetryChangeStream',
  237: 'CursorKilled',
  251: 'NoSuchTransaction',
  262: 'ExceededTimeLimit',
  280: 'ChangeStreamFatalError',
  9001: 'SocketException',
  10107: 'NotWritablePrimary',
  11000: 'DuplicateKey',
  11600: 'InterruptedAtShutdown',
  11601: 'Interrupted',
  11602: 'InterruptedDueToReplStateChange',
  13388: 'StaleConfig',
  13435: 'NotPrimaryNoSecondaryOk',
  13436: 'NotPrimaryOrSecondary',
};

function integerValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Math.trunc(value);
  if (value instanceof Int32 || value instanceof Double) return Math.trunc(value.valueOf());
  if (value instanceof Long) return value.toNumber();
  return undefined;
}

/** mongod's `mode` parsing (FailPoint::parseBSON): a string or `{times}` / `{skip}` / `{activationProbability}`. */
function parseMode(cmd: Doc): Mode {
  const mode = cmd.mode;
  if (mode === undefined) {
    throw EngineError.of('IllegalOperation', "When setting a failpoint, you must supply a 'mode'");
  }
  if (typeof mode === 'string') {
    if (mode === 'off') return { kind: 'off' };
    if (mode === 'alwaysOn') return { kind: 'alwaysOn' };
    throw EngineError.of('BadValue', `unknown mode: ${mode}`);
  }
  if (!isPlainObject(mode)) throw EngineError.of('TypeMismatch', "'mode' must be a string or JSON object");
  for (const kind of ['times', 'skip'] as const) {
    if (!(kind in mode)) continue;
    const count = integerValue(mode[kind]);
    if (count === undefined) throw EngineError.of('TypeMismatch', `'${kind}' must be a number`);
    if (count < 0) throw EngineError.of('BadValue', `'${kind}' option to 'mode' must be positive`);
    if (count > 2 ** 31 - 1) throw EngineError.of('BadValue', `'${kind}' option to 'mode' is too large`);
    return { kind, remaining: count };
  }
  if ('activationProbability' in mode) {
    const raw = mode.activationProbability;
    const probability = raw instanceof Double || raw instanceof Int32 ? raw.valueOf() : raw;
    if (typeof probability !== 'number') {
      throw EngineError.of(
        'TypeMismatch',
        "the 'activationProbability' option to 'mode' must be a double between 0 and 1",
      );
    }
    if (probability < 0 || probability > 1) {
      throw EngineError.of(
        'BadValue',
        `activationProbability must be between 0.0 and 1.0; found ${probability}`,
      );
    }
    return { kind: 'random', probability };
  }
  throw EngineError.of(
    'BadValue',
    "'mode' must be one of 'off', 'alwaysOn', '{times:n}', '{skip:n}' or '{activationProbability:p}'",
  );
}

export class FailPoints {
  private readonly points = new Map<string, FailPoint>([
    ['failCommand', { mode: { kind: 'off' }, data: {}, timesEntered: 0 }],
  ]);

  /** The `configureFailPoint` command; returns how often the fail point fired before this call. */
  configure(cmd: Doc): number {
    const name = cmd.configureFailPoint;
    const point = typeof name === 'string' ? this.points.get(name) : undefined;
    if (!point) throw new EngineError(266, `${String(name)} not found`, {}, 'FailPointSetFailed');
    const mode = parseMode(cmd);
    let data: Doc = {};
    if ('data' in cmd) {
      if (!isPlainObject(cmd.data))
        throw EngineError.of('TypeMismatch', "the 'data' option must be a JSON object");
      data = cmd.data;
    }
    point.mode = mode;
    point.data = data;
    return point.timesEntered;
  }

  /**
   * What `failCommand` does to this command, if it fires: it must name the command and carry an
   * error code, closeConnection or blockConnection. Firing uses up one of `{times: n}`.
   */
  failCommandEffect(
    command: string,
    namespace: string,
    client: FailPointClient,
  ): FailCommandEffect | undefined {
    const point = this.points.get('failCommand')!;
    const { data } = point;
    const closeConnection = data.closeConnection === true;
    const blockConnection = data.blockConnection === true;
    const errorCode = integerValue(data.errorCode);
    if (!closeConnection && !blockConnection && errorCode === undefined) return undefined;
    if (!this.catches(data, command, namespace, client) || !this.fire(point)) return undefined;

    let blockTimeMS = 0;
    if (blockConnection) {
      const time = integerValue(data.blockTimeMS);
      if (time === undefined) {
        return this.effectError(
          EngineError.of('InvalidOptions', "must specify 'blockTimeMS' when 'blockConnection' is true"),
        );
      }
      if (time < 0)
        return this.effectError(EngineError.of('InvalidOptions', "'blockTimeMS' must be non-negative"));
      blockTimeMS = time;
    }
    if (closeConnection) return { blockTimeMS, closeConnection: true };
    if (errorCode === undefined) return { blockTimeMS, closeConnection: false };
    const reply: Doc = {
      ok: new Double(0),
      errmsg: FAILPOINT_MESSAGE,
      code: errorCode,
      codeName: CODE_NAMES[errorCode] ?? `Location${errorCode}`,
    };
    if (isPlainObject(data.errorExtraInfo)) Object.assign(reply, data.errorExtraInfo);
    if (Array.isArray(data.errorLabels)) reply.errorLabels = data.errorLabels;
    return { blockTimeMS, closeConnection: false, errorReply: reply };
  }

  /**
   * The fields `failCommand` adds to a successful reply of a command that takes a write concern:
   * `writeConcernError` (and `errorLabels` when configured). Firing uses up one of `{times: n}`.
   */
  writeConcernErrorFields(
    command: string,
    cmd: Doc,
    namespace: string,
    client: FailPointClient,
  ): Doc | undefined {
    const point = this.points.get('failCommand')!;
    const { data } = point;
    if (!('writeConcernError' in data) || !acceptsWriteConcern(command, cmd)) return undefined;
    if (!this.catches(data, command, namespace, client) || !this.fire(point)) return undefined;
    const fields: Doc = { writeConcernError: data.writeConcernError };
    if (Array.isArray(data.errorLabels)) fields.errorLabels = data.errorLabels;
    return fields;
  }

  private effectError(err: EngineError): FailCommandEffect {
    return {
      blockTimeMS: 0,
      closeConnection: false,
      errorReply: { ok: new Double(0), errmsg: err.message, code: err.code, codeName: err.codeName },
    };
  }

  /** mongod's shouldActivateFailCommandFailPoint for an external client. */
  private catches(data: Doc, command: string, namespace: string, client: FailPointClient): boolean {
    // Never caught, so a test can always turn the fail point off again.
    if (command === 'configureFailPoint') return false;
    if ('appName' in data && (client.appName ?? '') !== data.appName) return false;
    if ('namespace' in data && data.namespace !== namespace) return false;
    if ('failAllCommands' in data) return true;
    const names = Array.isArray(data.failCommands) ? data.failCommands : [];
    const accepted = [command, ...(ALIASES[command] ?? [])];
    return names.some((name) => typeof name === 'string' && accepted.includes(name));
  }

  /** Applies the mode (mongod's FailPoint::shouldFail): whether it fires this time. */
  private fire(point: FailPoint): boolean {
    const { mode } = point;
    let fires: boolean;
    switch (mode.kind) {
      case 'off':
        fires = false;
        break;
      case 'alwaysOn':
        fires = true;
        break;
      case 'random':
        fires = Math.random() < mode.probability;
        break;
      case 'times':
        mode.remaining--;
        if (mode.remaining <= 0) point.mode = { kind: 'off' };
        fires = true;
        break;
      case 'skip':
        if (mode.remaining <= 0) fires = true;
        else {
          mode.remaining--;
          fires = false;
        }
        break;
    }
    if (fires) point.timesEntered++;
    return fires;
  }
}
