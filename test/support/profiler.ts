/**
 * Reads MongoDB's database profiler (`profile: 2` writes one `<db>.system.profile` document per
 * operation, with mongod's fields) to tell how many documents and index keys each interaction
 * examined, and counts the driver's round trips through command monitoring. Shared by the scale
 * benchmark and the documents-examined test; written to mongod's contract, so it works on a real
 * mongod and on any engine that keeps the same profile documents.
 */
import type { Db, MongoClient } from 'mongodb';

/** One profiled operation, as mongod writes it (fields a server leaves out read as 0 / ''). */
export interface ProfileEntry {
  op: string;
  ns: string;
  /** The collection part of `ns` (`$cmd` for database commands). */
  collection: string;
  command: Record<string, unknown>;
  keysExamined: number;
  docsExamined: number;
  nreturned: number;
  /** Documents a write matched or deleted, so writes count as documents "returned" for the bound. */
  nMatched: number;
  planSummary: string;
  millis: number;
  ts: Date;
}

export interface Totals {
  operations: number;
  docsExamined: number;
  keysExamined: number;
  nreturned: number;
  /** nreturned plus documents matched by writes: what the work produced. */
  produced: number;
}

export interface Measurement<T> {
  result: T;
  /** Operations on the product's collections (everything but `jobs` and `system.profile`). */
  entries: ProfileEntry[];
  totals: Totals;
  /** Per collection, for the product's entries (the notification ledger shows up here). */
  byCollection: Record<string, Totals>;
  /** Agenda's polling of `jobs`: background work unrelated to the interaction, left out of the totals. */
  excluded: Totals;
  /** Driver commands the application sent (round trips), without Agenda's `jobs` polling. */
  roundTrips: number;
  roundTripsByCommand: Record<string, number>;
  /** The capped profile collection dropped entries of this measurement: the counts are too low. */
  truncated: boolean;
}

export type ProfilerStatus = { ok: true } | { ok: false; reason: string };

/** Collections whose operations never count towards an interaction. */
const backgroundCollections = new Set(['jobs', 'system.profile']);

/** The bound every interaction must meet: documents examined within a small multiple of what it produced. */
export const docsExaminedBound = { perProduced: 4, constant: 50 } as const;

export function withinDocsBound(totals: Pick<Totals, 'docsExamined' | 'produced'>): boolean {
  return totals.docsExamined <= docsExaminedBound.perProduced * totals.produced + docsExaminedBound.constant;
}

function number(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object' && 'toNumber' in value) {
    return (value as { toNumber(): number }).toNumber();
  }
  return 0;
}

function toEntry(dbName: string, raw: Record<string, unknown>): ProfileEntry {
  const ns = String(raw['ns'] ?? '');
  return {
    op: String(raw['op'] ?? ''),
    ns,
    collection: ns.startsWith(`${dbName}.`) ? ns.slice(dbName.length + 1) : ns,
    command: (raw['command'] ?? raw['query'] ?? {}) as Record<string, unknown>,
    keysExamined: number(raw['keysExamined']),
    docsExamined: number(raw['docsExamined']),
    nreturned: number(raw['nreturned']),
    nMatched: number(raw['nMatched']) + number(raw['ndeleted']),
    planSummary: String(raw['planSummary'] ?? ''),
    millis: number(raw['millis']),
    ts: raw['ts'] instanceof Date ? raw['ts'] : new Date(String(raw['ts'])),
  };
}

export function totalsOf(entries: ProfileEntry[]): Totals {
  const totals: Totals = { operations: 0, docsExamined: 0, keysExamined: 0, nreturned: 0, produced: 0 };
  for (const e of entries) {
    totals.operations++;
    totals.docsExamined += e.docsExamined;
    totals.keysExamined += e.keysExamined;
    totals.nreturned += e.nreturned;
    totals.produced += e.nreturned + e.nMatched;
  }
  return totals;
}

/** The operations that break the bound on their own, or scan a whole collection: what to fix first. */
export function offendingEntries(entries: ProfileEntry[]): ProfileEntry[] {
  return entries.filter(
    (e) =>
      e.planSummary.includes('COLLSCAN') ||
      !withinDocsBound({ docsExamined: e.docsExamined, produced: e.nreturned + e.nMatched }),
  );
}

/** A line per entry: op, collection, plan, counts and the command without driver noise. */
export function describeEntry(e: ProfileEntry): string {
  const noise = new Set(['lsid', '$db', '$clusterTime', 'txnNumber', 'cursor', '$readPreference']);
  const command = Object.fromEntries(Object.entries(e.command).filter(([key]) => !noise.has(key)));
  const text = JSON.stringify(command);
  return (
    `${e.op} ${e.collection} [${e.planSummary || 'no plan'}] docs=${e.docsExamined} keys=${e.keysExamined} ` +
    `returned=${e.nreturned}${e.nMatched ? ` matched=${e.nMatched}` : ''} ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`
  );
}

/**
 * Turns the profiler on for every operation, starting from an empty profile. `sizeBytes` re-creates
 * system.profile as a larger capped collection (mongod's documented way; its default is 1 MB, which a
 * fan-out of hundreds of operations can overflow: measurements then say `truncated`).
 */
export async function startProfiling(db: Db, sizeBytes?: number): Promise<ProfilerStatus> {
  try {
    await db.command({ profile: 0 });
    await db
      .collection('system.profile')
      .drop()
      .catch(() => undefined);
    if (sizeBytes !== undefined)
      await db.createCollection('system.profile', { capped: true, size: sizeBytes });
    await db.command({ profile: 2, slowms: 0 });
    return { ok: true };
  } catch (err) {
    const error = err as { code?: number; message?: string };
    return {
      ok: false,
      reason: `profile refused (code ${error.code ?? '?'}: ${error.message ?? String(err)})`,
    };
  }
}

export async function stopProfiling(db: Db): Promise<void> {
  await db.command({ profile: 0 }).catch(() => undefined);
}

/** The newest profile entry's time (the server's clock), or the epoch when there is none. */
export async function latestProfileTs(db: Db): Promise<Date> {
  const [newest] = await db
    .collection('system.profile')
    .find({}, { projection: { ts: 1 } })
    .sort({ $natural: -1 })
    .limit(1)
    .toArray();
  return newest?.['ts'] instanceof Date ? newest['ts'] : new Date(0);
}

/** Every profiled operation after `since` (server time), oldest first, without the profiler's own reads. */
export async function entriesSince(db: Db, since: Date): Promise<ProfileEntry[]> {
  const raw = await db
    .collection('system.profile')
    .find({ ts: { $gt: since } })
    .sort({ $natural: 1 })
    .toArray();
  return raw
    .map((doc) => toEntry(db.databaseName, doc as Record<string, unknown>))
    .filter((e) => e.collection !== 'system.profile');
}

function commandCollection(command: Record<string, unknown>, name: string): string | undefined {
  const target = command[name === 'getMore' ? 'collection' : name];
  return typeof target === 'string' ? target : undefined;
}

/**
 * Measures what a piece of work costs the database. `db` reads the profile (use a client of its own,
 * so its reads are not counted as the application's round trips); `appClient` is the application's
 * driver, created with `monitorCommands: true`.
 */
export class Profiler {
  constructor(
    private readonly db: Db,
    private readonly appClient?: MongoClient,
  ) {}

  start(sizeBytes?: number): Promise<ProfilerStatus> {
    return startProfiling(this.db, sizeBytes);
  }

  /** Stops writing entries (timed runs go without the profiler's own cost); `resume` starts again. */
  async pause(): Promise<void> {
    await this.db.command({ profile: 0 });
  }

  async resume(): Promise<void> {
    await this.db.command({ profile: 2, slowms: 0 });
  }

  async measure<T>(work: () => Promise<T>): Promise<Measurement<T>> {
    const since = await latestProfileTs(this.db);
    // Entries carry millisecond times: let the clock move past the last one before anything counts.
    await new Promise((resolve) => setTimeout(resolve, 3));
    const byCommand: Record<string, number> = {};
    let roundTrips = 0;
    const onCommand = (event: { commandName: string; command: Record<string, unknown> }) => {
      if (commandCollection(event.command, event.commandName) === 'jobs') return;
      roundTrips++;
      byCommand[event.commandName] = (byCommand[event.commandName] ?? 0) + 1;
    };
    this.appClient?.on('commandStarted', onCommand);
    let result: T;
    try {
      result = await work();
    } finally {
      this.appClient?.off('commandStarted', onCommand);
    }
    const all = await entriesSince(this.db, since);
    const [oldest] = await this.db
      .collection('system.profile')
      .find({}, { projection: { ts: 1 } })
      .sort({ $natural: 1 })
      .limit(1)
      .toArray();
    const truncated = since.getTime() > 0 && oldest?.['ts'] instanceof Date && oldest['ts'] > since;
    const entries = all.filter((e) => !backgroundCollections.has(e.collection));
    const byCollection: Record<string, Totals> = {};
    for (const name of new Set(entries.map((e) => e.collection))) {
      byCollection[name] = totalsOf(entries.filter((e) => e.collection === name));
    }
    return {
      result,
      entries,
      totals: totalsOf(entries),
      byCollection,
      excluded: totalsOf(all.filter((e) => backgroundCollections.has(e.collection))),
      roundTrips,
      roundTripsByCommand: byCommand,
      truncated,
    };
  }
}
