/**
 * The small interfaces services need from the outside world. `db/` implements the repositories,
 * `slack/` implements the directory; services see only these shapes.
 */
import type {
  Asset,
  AssetRequest,
  AssetSearch,
  AssetStatus,
  CatalogChoice,
  Page,
  PageOf,
  Person,
  PlannedTransition,
  Procurement,
  RequestApproval,
  RequestDenial,
  Role,
  Transfer,
} from '../domain/index.js';

export interface NewAsset {
  teamId: string;
  tag: string;
  serial: string | undefined;
  name: string;
  category: string;
  model: string | undefined;
  location: string | undefined;
  procurement: Procurement | undefined;
  customFields: Record<string, string>;
  actorId: string;
  now: Date;
  note: string | undefined;
}

export type InsertAssetOutcome =
  { ok: true; asset: AssetSummary } | { ok: false; duplicate: 'tag' | 'serial' };

export type AssetSummary = Omit<Asset, 'history'>;

export interface AssetRepository {
  insert(asset: NewAsset): Promise<InsertAssetOutcome>;
  findByTag(teamId: string, tag: string): Promise<AssetSummary | undefined>;
  search(teamId: string, search: AssetSearch, page: Page): Promise<PageOf<AssetSummary>>;
  listHeldBy(teamId: string, holderId: string): Promise<AssetSummary[]>;
  /**
   * Applies a planned transition as one conditional single-document update (filter = plan.expect).
   * Returns the updated asset, or undefined when the asset no longer is in the expected state.
   */
  applyTransition(
    teamId: string,
    assetId: string,
    plan: PlannedTransition,
  ): Promise<AssetSummary | undefined>;
  historyPage(teamId: string, tag: string, page: Page): Promise<PageOf<Asset['history'][number]> | undefined>;
  findById(teamId: string, assetId: string): Promise<AssetSummary | undefined>;
  /** The request or transfer id recorded on the asset's newest history entry (to recognise a half-done step). */
  lastHistoryRef(
    teamId: string,
    assetId: string,
  ): Promise<{ requestId?: string; transferId?: string } | undefined>;
  /** Categories and models with how many are available, for the request typeahead. */
  catalog(teamId: string, text: string | undefined, limit: number): Promise<CatalogEntry[]>;
  /** Available assets fitting a request, matched on tag, serial, name or model, for the approve typeahead. */
  searchAvailable(
    teamId: string,
    item: CatalogChoice | undefined,
    text: string | undefined,
    limit: number,
  ): Promise<AssetSummary[]>;
  listByStatus(teamId: string, statuses: AssetStatus[], page: Page): Promise<PageOf<AssetSummary>>;
  listOverdue(teamId: string, now: Date, page: Page): Promise<PageOf<AssetSummary>>;
  stockByCategory(teamId: string): Promise<Array<{ category: string; available: number; total: number }>>;
}

export interface CatalogEntry {
  category: string;
  model: string | undefined;
  available: number;
  total: number;
}

export interface NewRequest {
  teamId: string;
  requesterId: string;
  kind: AssetRequest['kind'];
  item: CatalogChoice;
  reason: string;
  neededBy: Date | undefined;
  returnBy: Date | undefined;
  now: Date;
  /** Once-only key: a second create with the same key returns the first request (created: false). */
  submissionKey?: string | undefined;
}

export interface RequestRepository {
  create(request: NewRequest): Promise<{ request: AssetRequest; created: boolean }>;
  findById(teamId: string, id: string): Promise<AssetRequest | undefined>;
  listByRequester(
    teamId: string,
    requesterId: string,
    statuses: AssetRequest['status'][],
  ): Promise<AssetRequest[]>;
  listByStatus(teamId: string, statuses: AssetRequest['status'][], page: Page): Promise<PageOf<AssetRequest>>;
  /**
   * Takes the approval: pending -> approving, or an approving claim held by `takeoverFrom` (whose claim
   * was made at `takeoverClaimedAt`). Undefined when someone else changed the request first.
   */
  claimApproval(
    teamId: string,
    id: string,
    approval: RequestApproval,
    takeover?: { approverId: string; claimedAt: Date },
  ): Promise<AssetRequest | undefined>;
  /** approving (by this approver) -> approved. */
  finishApproval(
    teamId: string,
    id: string,
    approverId: string,
    approvedAt: Date,
  ): Promise<AssetRequest | undefined>;
  /** approving (by this approver) -> pending, when the chosen asset could not be checked out. */
  releaseClaim(teamId: string, id: string, approverId: string, now: Date): Promise<AssetRequest | undefined>;
  deny(teamId: string, id: string, denial: RequestDenial): Promise<AssetRequest | undefined>;
  cancel(teamId: string, id: string, requesterId: string, now: Date): Promise<AssetRequest | undefined>;
  setItMessage(teamId: string, id: string, message: { channel: string; ts: string }): Promise<void>;
}

export interface NewTransfer {
  teamId: string;
  assetId: string;
  assetTag: string;
  fromId: string;
  toId: string;
  note: string | undefined;
  now: Date;
}

export interface TransferRepository {
  /** Undefined when the asset already has an open transfer. */
  create(transfer: NewTransfer): Promise<Transfer | undefined>;
  findById(teamId: string, id: string): Promise<Transfer | undefined>;
  findOpenForAsset(teamId: string, assetId: string): Promise<Transfer | undefined>;
  listOpenInvolving(teamId: string, userId: string): Promise<Transfer[]>;
  /** Moves from one of `from` to `to`; undefined when the transfer was not in one of `from`. */
  changeStatus(
    teamId: string,
    id: string,
    from: Transfer['status'][],
    to: Transfer['status'],
    now: Date,
    voidReason?: string,
  ): Promise<Transfer | undefined>;
  setOfferMessage(teamId: string, id: string, message: { channel: string; ts: string }): Promise<void>;
}

export interface NotificationLedger {
  /** True for the first claim of `key`; false when it was claimed before. */
  claim(teamId: string, key: string, now: Date): Promise<boolean>;
  /** Gives a claim back when the send failed, so a later attempt can send it. */
  release(teamId: string, key: string): Promise<void>;
}

export interface PersonRepository {
  find(teamId: string, slackUserId: string): Promise<Person | undefined>;
  /**
   * Inserts or refreshes the Slack-derived fields of a person, leaving HR fields (department, manager)
   * alone, and makes sure the person has at least `ensureRoles`.
   */
  upsertProfile(
    teamId: string,
    profile: DirectoryProfile,
    refreshedAt: Date,
    ensureRoles: Person['roles'],
  ): Promise<Person>;
  findMany(teamId: string, slackUserIds: string[]): Promise<Person[]>;
  listByRole(teamId: string, roles: Role[]): Promise<Person[]>;
  /** People with one of `roles` who opened their App Home at or after `since`. */
  listByRoleViewingHome(teamId: string, roles: Role[], since: Date): Promise<Person[]>;
  markHomeOpened(teamId: string, slackUserId: string, at: Date): Promise<void>;
  setRoles(teamId: string, slackUserId: string, roles: Role[]): Promise<Person | undefined>;
  /** HR fields: department and manager (undefined leaves a field as it is). */
  setOrganisation(
    teamId: string,
    slackUserId: string,
    organisation: { department?: string; managerSlackUserId?: string },
  ): Promise<Person | undefined>;
}

/** A person as Slack's users.info describes them. */
export interface DirectoryProfile {
  slackUserId: string;
  name: string;
  displayName: string;
  email: string | undefined;
  title: string | undefined;
  timeZone: string | undefined;
  deactivated: boolean;
  isBot: boolean;
}

export interface SlackDirectory {
  /** Undefined when Slack does not know the user. Throws when Slack cannot be reached. */
  lookupUser(teamId: string, slackUserId: string): Promise<DirectoryProfile | undefined>;
}
