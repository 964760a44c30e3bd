/**
 * Errors the embedded engine reports to clients, with mongod's numeric codes and code names so
 * drivers (and mongoose) surface them exactly as they would from a real server.
 */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  Unauthorized: 13,
  IllegalOperation: 20,
  InvalidBSON: 22,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  NotSingleValueField: 54,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  IndexAlreadyExists: 68,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationFailed: 96,
  CommandNotSupported: 115,
  DocumentValidationFailure: 121,
  ViewDepthLimitExceeded: 149,
  OptionNotSupportedOnView: 157,
  CommandNotSupportedOnView: 166,
  CannotIndexParallelArrays: 171,
  InvalidIndexSpecificationOption: 197,
  UnsupportedOpQueryCommand: 352,
  NotImplemented: 238,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  Location17419: 17419,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

const namesByCode = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));

export class EngineError extends Error {
  readonly code: number;
  readonly codeName: string;
  /** Extra fields merged into the error reply (e.g. keyPattern/keyValue for duplicate keys). */
  readonly extra: Record<string, unknown>;

  constructor(code: number, message: string, extra: Record<string, unknown> = {}, codeName?: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.codeName = codeName ?? namesByCode.get(code) ?? `Location${code}`;
    this.extra = extra;
  }

  static of(name: ErrorCodeName, message: string, extra: Record<string, unknown> = {}): EngineError {
    return new EngineError(ErrorCodes[name], message, extra, name);
  }
}
