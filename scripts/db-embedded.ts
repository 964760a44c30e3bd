/**
 * Runs the embedded MongoDB-compatible engine as a standalone server:
 *   npm run db:embedded -- --port 27099
 * The first line of stdout is the connection string; it serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from '@custodian/embedded-mongo';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27099' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`Invalid --port: ${values.port}\n`);
  process.exit(2);
}

const server = await startEmbeddedMongo({ port, host: values.host });
process.stdout.write(`${server.uri}\n`);
process.stderr.write(
  'Embedded MongoDB-compatible engine (in memory; data is lost on exit). Ctrl+C to stop.\n',
);

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  void server.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
