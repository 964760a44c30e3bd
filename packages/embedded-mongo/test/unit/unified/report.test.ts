import { describe, expect, it } from '@jest/globals';
import { formatPercent, formatReport, summarize } from '../../support/unified/report.js';
import type { TestResult } from '../../support/unified/runner.js';

const result = (file: string, test: string, status: TestResult['status'], reason?: string): TestResult => ({
  file,
  test,
  status,
  reason,
  durationMs: 1,
});

describe('spec run summary', () => {
  const results = [
    result('a.json', 'one', 'pass'),
    result(
      'a.json',
      'two',
      'fail',
      'operation 0 (find on collection0): expectResult: [0].x: expected 1, got 2',
    ),
    result('b.json', 'three', 'skip', 'runOnRequirements: needs server >= 8.0 (server 7.0.0 single)'),
    result('b.json', 'four', 'pass'),
    result('b.json', 'five', 'pass'),
  ];

  it('counts statuses and computes the pass rate over applicable tests only', () => {
    expect(summarize(results)).toEqual({
      files: 2,
      total: 5,
      passed: 3,
      failed: 1,
      skipped: 1,
      applicable: 4,
      passRate: 0.75,
    });
    expect(summarize([result('c.json', 'x', 'skip', 'r')]).passRate).toBe(1);
  });

  it('never rounds a pass rate up to the threshold', () => {
    expect(formatPercent(0.9499)).toBe('94.9%');
    expect(formatPercent(1)).toBe('100.0%');
  });

  it('lists every failure and every skip with its reason', () => {
    const report = formatReport(results, {
      title: 'T',
      target: 'embedded',
      profile: 'single 7.0.0',
      durationMs: 1234,
      threshold: 0.95,
    });
    expect(report).toContain('passed: 3   failed: 1   skipped: 1');
    expect(report).toContain('pass rate: 75.0% of 4 applicable tests (required: 95.0%)');
    expect(report).toContain(
      'FAILURES (1)\n  [a.json] two\n      operation 0 (find on collection0): expectResult: [0].x: expected 1, got 2',
    );
    expect(report).toContain(
      'SKIPPED (1)\n  [b.json] three — runOnRequirements: needs server >= 8.0 (server 7.0.0 single)',
    );
  });
});
