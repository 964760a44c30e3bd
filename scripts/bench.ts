/**
 * `npm run bench`: every benchmark the issues ask for, printed with the goal each is judged against.
 * Figures, not pass/fail: a benchmark never fails the build.
 */
import { printSlackBench, runSlackBench } from './bench-slack.js';

const only = process.argv.slice(2);
const wants = (name: string) => only.length === 0 || only.includes(name);

if (wants('engine')) {
  const { runEngineBench } = await import('./bench-engine.js');
  await runEngineBench();
  console.log('');
}
if (wants('slack')) {
  printSlackBench(await runSlackBench());
  console.log('');
}
process.exit(0);
