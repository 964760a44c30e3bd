/** What every part of the fake workspace shares: who it is, its ids, its clock and its address. */
import type { IdFactory } from '../ids.js';

export interface WorkspaceIdentity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  botName: string;
  appId: string;
}

export interface WorkspaceContext {
  readonly identity: WorkspaceIdentity;
  readonly ids: IdFactory;
  readonly now: () => number;
  /** Where the fake listens; file and response_url links point here. */
  baseUrl: string;
}
