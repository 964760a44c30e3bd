/**
 * `npm run bench`: every benchmark the issues ask for, printed with the goal each is judged against.
 * Figures, not pass/fail: a benchmark never fails the build.
 *   npm run bench                  everything (about 10 minutes on two cores)
 *   npm run bench -- engine        the embedded engine alone
 *   npm run bench -- scale         documents examined, round trips and latency per interaction at 1k/10k/100k
 *   npm run bench -- slack         ack latency of the app against bare Bolt, open loop at a fixed rate
 *   npm run bench -- scale quick   the scale part at 1k and 10k only
 */
const only = process.argv.slice(2);
const parts = only.filter((arg) => arg !== 'quick');
const wants = (name: string) => parts.length === 0 || parts.includes(name);

if (wants('engine')) {
  const { runEngineBench } = await import('./bench-engine.js');
  await runEngineBench();
  console.log('');
}
if (wants('slack')) {
  const { printSlackBench, runSlackBench } = await import('./bench-slack.js');
  printSlackBench(await runSlackBench());
  console.log('');
}
if (wants('scale')) {
  const { printScaleBench, runScaleBench } = await import('./bench-scale.js');
  const quick = only.includes('quick');
  printScaleBench(
    await runScaleBench(
      quick
        ? {
            sizes: [
              { assets: 1_000, itStaff: [5, 50] },
              { assets: 10_000, itStaff: [5, 50] },
            ],
          }
        : {},
    ),
  );
  console.log('');
}
process.exit(0);
