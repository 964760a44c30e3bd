/**
 * The small interfaces services need from the outside world. `db/` implements the repositories,
 * `slack/` implements the directory; services see only these shapes.
 */
import type {
  Asset,
  AssetSearch,
  Page,
  PageOf,
  PlannedTransition,
  Person,
  Procurement,
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
