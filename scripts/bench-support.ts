/** What the benchmarks share: percentiles, free ports, child processes, the database to run against. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

export interface LatencySummary {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(index, 0)]!;
}

export function summarize(latencies: number[], non2xx = 0): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    non2xx,
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function tsxChild(entry: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=@custodian/source', '--import', 'tsx', entry, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Starts a TypeScript HTTP server in its own process, so the app under test has its own event loop. */
export async function spawnServer(
  entry: string,
  env: Record<string, string>,
  port: number,
): Promise<ChildProcess> {
  const child = tsxChild(entry, [], { ...env, PORT: String(port) });
  child.stdout?.resume();
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: 'GET' });
      return child;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${entry} did not start`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export interface BenchDatabase {
  /** Server URI without a database name (ends with `/`). */
  uri: string;
  description: string;
  stop(): Promise<void>;
}

/** MONGODB_URI when set, else the embedded engine in a process of its own (as a mongod would be). */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const external = process.env.MONGODB_URI;
  if (external) {
    const url = new URL(external);
    url.pathname = '/';
    return { uri: url.toString(), description: `MongoDB at ${url.host} (MONGODB_URI)`, stop: async () => {} };
  }
  const child = tsxChild('scripts/db-embedded.ts', ['--port', '0'], {});
  const lines = createInterface({ input: child.stdout! });
  const uri = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the embedded engine exited (${code})`)));
  });
  return {
    uri,
    description: 'the embedded engine, in its own process',
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function withDatabase(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
