/** Pure: people, roles and what each role may do. */
import { fail, ok, type Result } from './result.js';

export const roles = ['employee', 'manager', 'it', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Person {
  teamId: string;
  slackUserId: string;
  name: string;
  displayName: string;
  email: string | undefined;
  department: string | undefined;
  title: string | undefined;
  managerSlackUserId: string | undefined;
  roles: Role[];
  timeZone: string | undefined;
  deactivated: boolean;
  /** Bots and apps can be looked up like people but never hold assets. */
  isBot: boolean;
  /** When the Slack profile was last read; profiles are refreshed when older than the cache lifetime. */
  profileRefreshedAt: Date;
}

export type Capability =
  | 'asset.find'
  | 'asset.view_own'
  | 'asset.request'
  | 'asset.return'
  | 'asset.transfer'
  | 'asset.report_problem'
  | 'asset.add'
  | 'asset.checkout'
  | 'asset.checkin'
  | 'asset.history'
  | 'request.decide'
  | 'team.view'
  | 'people.manage';

const capabilitiesByRole: Record<Role, readonly Capability[]> = {
  employee: [
    'asset.find',
    'asset.view_own',
    'asset.request',
    'asset.return',
    'asset.transfer',
    'asset.report_problem',
  ],
  manager: ['team.view'],
  it: ['asset.add', 'asset.checkout', 'asset.checkin', 'asset.history', 'request.decide'],
  admin: [
    'asset.add',
    'asset.checkout',
    'asset.checkin',
    'asset.history',
    'request.decide',
    'team.view',
    'people.manage',
  ],
};

/** Everyone is an employee; other roles add to that. */
export function effectiveRoles(person: Pick<Person, 'roles'>): Role[] {
  return person.roles.includes('employee') ? person.roles : ['employee', ...person.roles];
}

export function can(person: Pick<Person, 'roles' | 'deactivated'>, capability: Capability): boolean {
  if (person.deactivated) return false;
  return effectiveRoles(person).some((role) => capabilitiesByRole[role].includes(capability));
}

/** Words for a refusal ("Only IT staff and admins can <words>"). */
export const capabilityLabels: Record<Capability, string> = {
  'asset.find': 'search assets',
  'asset.view_own': 'see their assets',
  'asset.request': 'request assets',
  'asset.return': 'return assets',
  'asset.transfer': 'transfer assets',
  'asset.report_problem': 'report problems',
  'asset.add': 'add assets',
  'asset.checkout': 'check assets out',
  'asset.checkin': 'check assets in',
  'asset.history': 'see asset history',
  'request.decide': 'approve or deny requests',
  'team.view': "see their team's assets",
  'people.manage': 'change roles and reporting lines',
};

/** The roles that grant a capability, for telling a refused person who may do it. */
export function rolesGranting(capability: Capability): Role[] {
  return roles.filter((role) => capabilitiesByRole[role].includes(capability));
}

/**
 * The one permission check every use case starts with. `action` overrides the refusal's words when the
 * use case is more specific than its capability ("confirm returns" rather than "check assets in").
 */
export function authorize(
  person: Pick<Person, 'roles' | 'deactivated'>,
  capability: Capability,
  action: string = capabilityLabels[capability],
): Result<true> {
  if (can(person, capability)) return ok(true);
  if (person.deactivated) return fail('permission.denied', { action, reason: 'deactivated' });
  return fail('permission.denied', { action, roles: rolesGranting(capability) });
}

/** The role a person is addressed by: admin before IT staff before manager. */
export function primaryRole(person: Pick<Person, 'roles'>): Role {
  for (const role of ['admin', 'it', 'manager'] as const) if (person.roles.includes(role)) return role;
  return 'employee';
}

export function isItStaff(person: Pick<Person, 'roles'>): boolean {
  return person.roles.includes('it') || person.roles.includes('admin');
}

/**
 * Whether someone may be given custody of an asset (checkout, approval, transfer): a known, active,
 * human member of the workspace.
 */
export function canHoldAssets(
  person: Pick<Person, 'slackUserId' | 'deactivated' | 'isBot'> | undefined,
  userId: string,
): Result<true> {
  if (!person) return fail('person.not_found', { userId });
  if (person.deactivated) return fail('person.cannot_hold', { userId, reason: 'deactivated' });
  if (person.isBot) return fail('person.cannot_hold', { userId, reason: 'bot' });
  return ok(true);
}

/** Roles to grant when a person is first seen: configured admins are bootstrapped, everyone else is an employee. */
export function initialRoles(slackUserId: string, adminUserIds: readonly string[]): Role[] {
  return adminUserIds.includes(slackUserId) ? ['employee', 'admin'] : ['employee'];
}
