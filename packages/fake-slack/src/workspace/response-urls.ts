/** response_urls: issued with an interaction; five posts within thirty minutes. */
import type { WorkspaceContext } from './context.js';
import { accept, refuse, type Outcome } from './outcome.js';

export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;

/** Where a response_url came from: who triggered it, where, and which message (for replace/delete). */
export interface ResponseUrlOrigin {
  channelId: string;
  userId: string;
  message?: { ts: string; ephemeral: boolean };
}

interface IssuedResponseUrl extends ResponseUrlOrigin {
  issuedAt: number;
  posts: number;
}

export class ResponseUrls {
  private readonly responseUrls = new Map<string, IssuedResponseUrl>();

  constructor(private readonly ctx: WorkspaceContext) {}

  issueResponseUrl(origin: ResponseUrlOrigin): string {
    const secret = this.ctx.ids.secret();
    this.responseUrls.set(secret, { ...origin, issuedAt: this.ctx.now(), posts: 0 });
    return `${this.ctx.baseUrl}/response/${secret}`;
  }

  /** Counts one post to a response_url; Slack allows five within thirty minutes. */
  useResponseUrl(secret: string): Outcome<ResponseUrlOrigin> {
    const issued = this.responseUrls.get(secret);
    if (issued === undefined) return refuse('invalid_url');
    if (this.ctx.now() - issued.issuedAt > RESPONSE_URL_LIFETIME_MS) return refuse('expired_url');
    if (issued.posts >= RESPONSE_URL_MAX_POSTS) return refuse('used_url');
    issued.posts += 1;
    return accept({
      channelId: issued.channelId,
      userId: issued.userId,
      ...(issued.message === undefined ? {} : { message: issued.message }),
    });
  }

  clear(): void {
    this.responseUrls.clear();
  }
}
