/**
 * Benchmarks the embedded MongoDB-compatible engine through the official driver:
 * insertMany of 10k documents, an indexed findOne at 1k and at 100k documents (the goal: the 100k
 * figure within 2x of the 1k figure, i.e. lookups do not scan), and the ping round trip as the floor.
 *   npx tsx scripts/bench-engine.ts
 */
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import type { Collection, Document } from 'mongodb';
import { startEmbeddedMongo } from '@custodian/embedded-mongo';

export interface EngineBenchResult {
  /** Milliseconds for one insertMany of 10,000 documents. */
  insertMany10kMs: number;
  /** Mean microseconds per indexed findOne with 1,000 documents in the collection. */
  findOneAt1kUs: number;
  /** Mean microseconds per indexed findOne with 100,000 documents in the collection. */
  findOneAt100kUs: number;
  /** Mean microseconds per ping round trip (the floor for any command). */
  pingUs: number;
  /** findOneAt100kUs / findOneAt1kUs (goal: below 2). */
  lookupRatio: number;
}

export interface EngineBenchOptions {
  /** Lookups per measurement. */
  lookups?: number;
  log?: (line: string) => void;
}

function makeDocs(from: number, count: number): Document[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      sku: `SKU-${String(i).padStart(7, '0')}`,
      n: i,
      owner: `user${i % 97}`,
      tags: ['laptop', `t${i % 13}`],
    };
  });
}

async function meanMicros(runs: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(50, runs); i++) await fn(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / 1000 / runs;
}

async function timeLookups(coll: Collection, size: number, runs: number): Promise<number> {
  return meanMicros(runs, async (i) => {
    const n = (i * 7919) % size;
    const doc = await coll.findOne({ sku: `SKU-${String(n).padStart(7, '0')}` });
    if (!doc) throw new Error(`bench lookup missed SKU ${n}`);
  });
}

export async function runEngineBench(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const lookups = options.lookups ?? 2000;
  const server = await startEmbeddedMongo();
  const client = await MongoClient.connect(server.uri, { maxPoolSize: 1 });
  try {
    const db = client.db('bench');
    const pingUs = await meanMicros(lookups, () => db.command({ ping: 1 }));

    const insertColl = db.collection('insert');
    const docs10k = makeDocs(0, 10_000);
    const insertStart = process.hrtime.bigint();
    await insertColl.insertMany(docs10k);
    const insertMany10kMs = Number(process.hrtime.bigint() - insertStart) / 1e6;

    const coll = db.collection('lookup');
    await coll.createIndex({ sku: 1 }, { unique: true });
    await coll.insertMany(makeDocs(0, 1_000));
    const findOneAt1kUs = await timeLookups(coll, 1_000, lookups);
    for (let from = 1_000; from < 100_000; from += 10_000) {
      await coll.insertMany(makeDocs(from, Math.min(10_000, 100_000 - from)));
    }
    const findOneAt100kUs = await timeLookups(coll, 100_000, lookups);

    const result: EngineBenchResult = {
      insertMany10kMs,
      findOneAt1kUs,
      findOneAt100kUs,
      pingUs,
      lookupRatio: findOneAt100kUs / findOneAt1kUs,
    };
    log('Embedded engine benchmark (official driver, one connection)');
    log(`  insertMany 10k documents      ${insertMany10kMs.toFixed(1)} ms`);
    log(`  indexed findOne @ 1k docs     ${findOneAt1kUs.toFixed(1)} µs`);
    log(
      `  indexed findOne @ 100k docs   ${findOneAt100kUs.toFixed(1)} µs  (x${result.lookupRatio.toFixed(2)} of 1k; goal < 2)`,
    );
    log(`  ping round trip (floor)       ${pingUs.toFixed(1)} µs`);
    return result;
  } finally {
    await client.close();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runEngineBench();
}
