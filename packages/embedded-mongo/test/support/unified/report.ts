/** Pure: summarises runner results into counts, a pass rate and a human-readable report. */
import type { TestResult } from './runner.js';

export interface Summary {
  files: number;
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Tests that were not skipped. */
  applicable: number;
  /** passed / applicable, 0..1 (1 when nothing is applicable). */
  passRate: number;
}

export function summarize(results: TestResult[]): Summary {
  const count = (status: TestResult['status']): number =>
    results.filter((result) => result.status === status).length;
  const passed = count('pass');
  const failed = count('fail');
  const skipped = count('skip');
  const applicable = passed + failed;
  return {
    files: new Set(results.map((result) => result.file)).size,
    total: results.length,
    passed,
    failed,
    skipped,
    applicable,
    passRate: applicable === 0 ? 1 : passed / applicable,
  };
}

export function formatPercent(rate: number): string {
  return `${(Math.floor(rate * 1000) / 10).toFixed(1)}%`;
}

export interface ReportHeader {
  title: string;
  /** Where the tests ran, e.g. "embedded engine mongodb://127.0.0.1:40123". */
  target: string;
  /** How runOnRequirements were judged, e.g. "standalone 7.0.0". */
  profile: string;
  durationMs: number;
  /** Minimum pass rate the suite asserts, 0..1. */
  threshold: number;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

export function formatReport(results: TestResult[], header: ReportHeader): string {
  const summary = summarize(results);
  const lines: string[] = [
    header.title,
    `target: ${header.target}`,
    `requirements judged for: ${header.profile}`,
    `duration: ${(header.durationMs / 1000).toFixed(1)} s`,
    '',
    `files: ${summary.files}   tests: ${summary.total}   passed: ${summary.passed}   failed: ${summary.failed}   skipped: ${summary.skipped}`,
    `pass rate: ${formatPercent(summary.passRate)} of ${summary.applicable} applicable tests (required: ${formatPercent(header.threshold)})`,
  ];
  const failures = results.filter((result) => result.status === 'fail');
  lines.push('', `FAILURES (${failures.length})`);
  for (const failure of failures) {
    lines.push(
      `  [${failure.file}] ${failure.test}`,
      indent(failure.reason ?? '(no reason recorded)', '      '),
    );
  }
  const skips = results.filter((result) => result.status === 'skip');
  lines.push('', `SKIPPED (${skips.length})`);
  for (const skip of skips)
    lines.push(`  [${skip.file}] ${skip.test} — ${skip.reason ?? '(no reason recorded)'}`);
  return `${lines.join('\n')}\n`;
}
