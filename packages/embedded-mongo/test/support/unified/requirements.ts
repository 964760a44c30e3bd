/** Pure: evaluates unified-format `runOnRequirements` and schema versions against a server profile. */
import type { RunOnRequirement } from './format.js';

export type Topology = 'single' | 'replicaset' | 'sharded' | 'load-balanced';

export interface ServerProfile {
  /** e.g. "7.0.0"; only major.minor.patch is compared. */
  version: string;
  topology: Topology;
  serverless: boolean;
  auth: boolean;
  /** Client-side field level encryption available (never, for this project). */
  csfle: boolean;
}

export const STANDALONE_7_0: ServerProfile = {
  version: '7.0.0',
  topology: 'single',
  serverless: false,
  auth: false,
  csfle: false,
};

/** Highest unified-format schema version this runner understands (minor versions only add fields). */
export const SUPPORTED_SCHEMA_VERSION = '1.25';

function parseVersion(version: string): [number, number, number] {
  // Suffixes like "-rc1" or "-alpha4-271-g7d5cf02" are dropped before comparing.
  const parts = version.split('-')[0]!.split('.');
  const component = (index: number): number => {
    const text = parts[index];
    if (text === undefined || text === '') return 0;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`malformed version string ${version}`);
    return value;
  };
  return [component(0), component(1), component(2)];
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (let i = 0; i < 3; i++) {
    if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}

/** Whether a file's schemaVersion can be interpreted: same major version, minor not newer than ours. */
export function isSchemaVersionSupported(schemaVersion: string): boolean {
  const [major] = parseVersion(schemaVersion);
  const [supportedMajor] = parseVersion(SUPPORTED_SCHEMA_VERSION);
  return major === supportedMajor && compareVersions(schemaVersion, SUPPORTED_SCHEMA_VERSION) <= 0;
}

/** Why one requirement is not met by the profile, or null when it is. */
export function unmetReason(requirement: RunOnRequirement, profile: ServerProfile): string | null {
  const reasons: string[] = [];
  if (
    requirement.minServerVersion !== undefined &&
    compareVersions(profile.version, requirement.minServerVersion) < 0
  ) {
    reasons.push(`needs server >= ${requirement.minServerVersion}`);
  }
  if (
    requirement.maxServerVersion !== undefined &&
    compareVersions(profile.version, requirement.maxServerVersion) > 0
  ) {
    reasons.push(`needs server <= ${requirement.maxServerVersion}`);
  }
  if (requirement.topologies !== undefined) {
    const accepted = new Set(requirement.topologies);
    // "sharded" accepts any sharded cluster; "sharded-replicaset" is only meaningful for sharded ones.
    const matches =
      accepted.has(profile.topology) ||
      (profile.topology === 'sharded' && accepted.has('sharded-replicaset'));
    if (!matches) reasons.push(`needs topology ${requirement.topologies.join('/')}`);
  }
  if (requirement.serverless === 'require' && !profile.serverless) reasons.push('needs Atlas Serverless');
  if (requirement.serverless === 'forbid' && profile.serverless) reasons.push('not for Atlas Serverless');
  if (requirement.auth === true && !profile.auth) reasons.push('needs authentication');
  if (requirement.auth === false && profile.auth) reasons.push('needs authentication disabled');
  if (requirement.authMechanism !== undefined)
    reasons.push(`needs auth mechanism ${requirement.authMechanism}`);
  if (requirement.csfle !== undefined && requirement.csfle !== false && !profile.csfle)
    reasons.push('needs CSFLE');
  if (requirement.csfle === false && profile.csfle) reasons.push('needs CSFLE absent');
  if (requirement.serverParameters !== undefined) {
    reasons.push(
      `needs server parameters ${Object.keys(requirement.serverParameters).join(', ')} (not checked)`,
    );
  }
  return reasons.length === 0 ? null : reasons.join(', ');
}

/**
 * Null when at least one requirement is met (or none is given); otherwise why none is, e.g.
 * "needs server >= 8.0 (server 7.0.0 single)".
 */
export function requirementsUnmet(
  requirements: RunOnRequirement[] | undefined,
  profile: ServerProfile,
): string | null {
  if (requirements === undefined || requirements.length === 0) return null;
  const reasons: string[] = [];
  for (const requirement of requirements) {
    const reason = unmetReason(requirement, profile);
    if (reason === null) return null;
    reasons.push(reason);
  }
  return `${[...new Set(reasons)].join(' | ')} (server ${profile.version} ${profile.topology})`;
}
