import { describe, expect, it } from '@jest/globals';
import {
  compareVersions,
  isSchemaVersionSupported,
  requirementsUnmet,
  STANDALONE_7_0,
  unmetReason,
} from '../../support/unified/requirements.js';

describe('version strings', () => {
  it('compare component by component, missing components being zero', () => {
    expect(compareVersions('4.0.10', '4.0.9')).toBe(1);
    expect(compareVersions('3.6', '4.0.10')).toBe(-1);
    expect(compareVersions('4.2.0', '4.2')).toBe(0);
    expect(compareVersions('7', '7.0.0')).toBe(0);
    expect(compareVersions('4.9.0-alpha4-271-g7d5cf02', '4.9.0')).toBe(0);
    expect(compareVersions('7.0.0', '4.4.99')).toBe(1);
  });

  it('accepts schema 1.x files up to the supported minor version only', () => {
    expect(isSchemaVersionSupported('1.0')).toBe(true);
    expect(isSchemaVersionSupported('1.12')).toBe(true);
    expect(isSchemaVersionSupported('1.99')).toBe(false);
    expect(isSchemaVersionSupported('2.0')).toBe(false);
  });
});

describe('runOnRequirements for a standalone 7.0 server', () => {
  it('checks inclusive version bounds', () => {
    expect(unmetReason({ minServerVersion: '7.0' }, STANDALONE_7_0)).toBeNull();
    expect(unmetReason({ maxServerVersion: '7.0.0' }, STANDALONE_7_0)).toBeNull();
    expect(unmetReason({ minServerVersion: '8.0' }, STANDALONE_7_0)).toMatch(/>= 8\.0/);
    expect(unmetReason({ maxServerVersion: '4.4.99' }, STANDALONE_7_0)).toMatch(/<= 4\.4\.99/);
    expect(unmetReason({ minServerVersion: '7.1.0' }, STANDALONE_7_0)).not.toBeNull();
    expect(unmetReason({ maxServerVersion: '7.99' }, STANDALONE_7_0)).toBeNull();
  });

  it('needs "single" among the topologies when they are listed', () => {
    expect(unmetReason({ topologies: ['single', 'replicaset'] }, STANDALONE_7_0)).toBeNull();
    expect(unmetReason({ topologies: ['replicaset', 'sharded'] }, STANDALONE_7_0)).toMatch(/topology/);
    expect(unmetReason({ topologies: ['sharded-replicaset'] }, STANDALONE_7_0)).not.toBeNull();
  });

  it('runs serverless "forbid"/"allow" tests but not "require" ones; auth and csfle must be false', () => {
    expect(unmetReason({ serverless: 'forbid' }, STANDALONE_7_0)).toBeNull();
    expect(unmetReason({ serverless: 'allow' }, STANDALONE_7_0)).toBeNull();
    expect(unmetReason({ serverless: 'require' }, STANDALONE_7_0)).not.toBeNull();
    expect(unmetReason({ auth: false }, STANDALONE_7_0)).toBeNull();
    expect(unmetReason({ auth: true }, STANDALONE_7_0)).not.toBeNull();
    expect(unmetReason({ csfle: false }, STANDALONE_7_0)).toBeNull();
    expect(unmetReason({ csfle: true }, STANDALONE_7_0)).not.toBeNull();
  });

  it('is met when any one requirement is met, and explains why when none is', () => {
    expect(requirementsUnmet(undefined, STANDALONE_7_0)).toBeNull();
    expect(
      requirementsUnmet(
        [
          { minServerVersion: '4.0.0', topologies: ['single'] },
          { minServerVersion: '4.2.0', topologies: ['sharded'] },
        ],
        STANDALONE_7_0,
      ),
    ).toBeNull();
    const reason = requirementsUnmet(
      [{ minServerVersion: '8.0' }, { topologies: ['sharded'] }],
      STANDALONE_7_0,
    );
    expect(reason).toBe('needs server >= 8.0 | needs topology sharded (server 7.0.0 single)');
  });
});
