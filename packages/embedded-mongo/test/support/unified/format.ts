/**
 * Types for the part of MongoDB's unified test format (schema 1.x) that the CRUD spec files use.
 * Values are kept loose (`unknown` / `Document`) because files are parsed from Extended JSON at runtime.
 */
export type Document = Record<string, unknown>;

export interface RunOnRequirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  serverParameters?: Document;
  auth?: boolean;
  authMechanism?: string;
  csfle?: boolean | Document;
}

export interface ClientEntity {
  id: string;
  uriOptions?: Document;
  useMultipleMongoses?: boolean;
  observeEvents?: string[];
  ignoreCommandMonitoringEvents?: string[];
  observeSensitiveCommands?: boolean;
  storeEventsAsEntities?: unknown[];
  observeLogMessages?: Document;
  serverApi?: Document;
}

export interface CollectionOrDatabaseOptions {
  readConcern?: { level: string };
  readPreference?: { mode: string; tagSets?: Document[]; maxStalenessSeconds?: number; hedge?: Document };
  writeConcern?: { w?: number | string; journal?: boolean; wtimeoutMS?: number };
  timeoutMS?: number;
}

export interface DatabaseEntity {
  id: string;
  client: string;
  databaseName: string;
  databaseOptions?: CollectionOrDatabaseOptions;
}

export interface CollectionEntity {
  id: string;
  database: string;
  collectionName: string;
  collectionOptions?: CollectionOrDatabaseOptions;
}

export interface SessionEntity {
  id: string;
  client: string;
  sessionOptions?: Document;
}

export interface EntityDescription {
  client?: ClientEntity;
  database?: DatabaseEntity;
  collection?: CollectionEntity;
  session?: SessionEntity;
  [other: string]: unknown;
}

export interface CollectionData {
  collectionName: string;
  databaseName: string;
  createOptions?: Document;
  documents: Document[];
}

export interface ExpectedError {
  isError?: boolean;
  isClientError?: boolean;
  isTimeoutError?: boolean;
  errorContains?: string;
  errorCode?: number;
  errorCodeName?: string;
  errorLabelsContain?: string[];
  errorLabelsOmit?: string[];
  errorResponse?: Document;
  expectResult?: unknown;
  writeErrors?: Document;
  writeConcernErrors?: Document[];
}

export interface Operation {
  name: string;
  object: string;
  arguments?: Document;
  expectResult?: unknown;
  expectError?: ExpectedError;
  ignoreResultAndError?: boolean;
  saveResultAsEntity?: string;
}

export interface ExpectedCommandEvent {
  commandStartedEvent?: { command?: Document; commandName?: string; databaseName?: string };
  commandSucceededEvent?: { reply?: Document; commandName?: string; databaseName?: string };
  commandFailedEvent?: { commandName?: string; databaseName?: string };
  [other: string]: unknown;
}

export interface ExpectedEventsForClient {
  client: string;
  eventType?: 'command' | 'cmap' | 'sdam';
  events: ExpectedCommandEvent[];
  ignoreExtraEvents?: boolean;
}

export interface UnifiedTest {
  description: string;
  runOnRequirements?: RunOnRequirement[];
  skipReason?: string;
  operations: Operation[];
  expectEvents?: ExpectedEventsForClient[];
  expectLogMessages?: unknown[];
  outcome?: CollectionData[];
}

export interface UnifiedTestFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: RunOnRequirement[];
  createEntities?: EntityDescription[];
  initialData?: CollectionData[];
  tests: UnifiedTest[];
  _yamlAnchors?: unknown;
}
