/** Views: each user's modal stack and App Home, external ids, and the options offered to selects. */
import type { ValidView } from '../block-kit/validate.js';
import type { FakeView, Option, ViewStateValues } from '../types.js';
import type { WorkspaceContext } from './context.js';
import { accept, refuse, type Outcome, type Refusal } from './outcome.js';

export const MODAL_STACK_LIMIT = 3;

export class WorkspaceViews {
  readonly views = new Map<string, FakeView>();
  /** Open modals per user, bottom to top. */
  readonly modalStacks = new Map<string, string[]>();
  readonly homes = new Map<string, string>();
  /** Options the app offered for external selects, to resolve a picked value to its text. */
  private readonly suggestedOptions = new Map<string, Option[]>();

  constructor(private readonly ctx: WorkspaceContext) {}

  modalStack(userId: string): FakeView[] {
    return (this.modalStacks.get(userId) ?? []).flatMap((id) => {
      const view = this.views.get(id);
      return view === undefined ? [] : [view];
    });
  }

  topModal(userId: string): FakeView | undefined {
    return this.modalStack(userId).at(-1);
  }

  home(userId: string): FakeView | undefined {
    const id = this.homes.get(userId);
    return id === undefined ? undefined : this.views.get(id);
  }

  private externalIdTaken(externalId: string, exceptViewId?: string): boolean {
    if (externalId === '') return false;
    for (const view of this.views.values()) {
      if (view.external_id === externalId && view.id !== exceptViewId) return true;
    }
    return false;
  }

  private newView(
    userId: string,
    valid: ValidView,
    rootId: string | undefined,
    previousId: string | null,
  ): FakeView {
    const id = this.ctx.ids.id('view');
    const view: FakeView = {
      id,
      team_id: this.ctx.identity.teamId,
      type: valid.type,
      user: userId,
      callback_id: valid.callback_id,
      private_metadata: valid.private_metadata,
      external_id: valid.external_id,
      title: valid.title,
      submit: valid.submit,
      close: valid.close,
      blocks: valid.blocks,
      clear_on_close: valid.clear_on_close,
      notify_on_close: valid.notify_on_close,
      hash: this.ctx.ids.viewHash(),
      root_view_id: rootId ?? id,
      previous_view_id: previousId,
      app_id: this.ctx.identity.appId,
      bot_id: this.ctx.identity.botId,
      state: { values: {} },
    };
    this.views.set(id, view);
    return view;
  }

  checkExternalId(valid: ValidView, exceptViewId?: string): Refusal | undefined {
    return this.externalIdTaken(valid.external_id, exceptViewId)
      ? refuse('duplicate_external_id')
      : undefined;
  }

  /** A new modal replaces whatever the user had open (the Slack client only shows one stack). */
  openModal(userId: string, valid: ValidView): FakeView {
    this.closeAllModals(userId);
    const view = this.newView(userId, valid, undefined, null);
    this.modalStacks.set(userId, [view.id]);
    return view;
  }

  pushModal(userId: string, valid: ValidView): Outcome<FakeView> {
    const stack = this.modalStacks.get(userId) ?? [];
    const top = stack.at(-1);
    if (top === undefined) return refuse('not_found');
    if (stack.length >= MODAL_STACK_LIMIT) return refuse('push_limit_reached');
    const root = stack[0] ?? top;
    const view = this.newView(userId, valid, root, top);
    stack.push(view.id);
    this.modalStacks.set(userId, stack);
    return accept(view);
  }

  findView(ref: { viewId?: string; externalId?: string }): FakeView | undefined {
    if (ref.viewId !== undefined) return this.views.get(ref.viewId);
    if (ref.externalId !== undefined && ref.externalId !== '') {
      for (const view of this.views.values()) if (view.external_id === ref.externalId) return view;
    }
    return undefined;
  }

  /** Replaces a live view's content in place; inputs that still exist keep what the user typed. */
  replaceView(view: FakeView, valid: ValidView): FakeView {
    const kept: ViewStateValues = {};
    for (const block of valid.blocks) {
      const previous = view.state.values[block.block_id];
      if (previous === undefined) continue;
      const element = block.element as { action_id?: string } | undefined;
      const actionIds = new Set<string>();
      if (element?.action_id !== undefined) actionIds.add(element.action_id);
      const accessory = block.accessory as { action_id?: string } | undefined;
      if (accessory?.action_id !== undefined) actionIds.add(accessory.action_id);
      const elements = Array.isArray(block.elements) ? (block.elements as { action_id?: string }[]) : [];
      for (const e of elements) if (e.action_id !== undefined) actionIds.add(e.action_id);
      const entries = Object.entries(previous).filter(([actionId]) => actionIds.has(actionId));
      if (entries.length > 0) kept[block.block_id] = Object.fromEntries(entries);
    }
    const updated: FakeView = {
      ...view,
      callback_id: valid.callback_id,
      private_metadata: valid.private_metadata,
      external_id: valid.external_id,
      title: valid.title,
      submit: valid.submit,
      close: valid.close,
      blocks: valid.blocks,
      clear_on_close: valid.clear_on_close,
      notify_on_close: valid.notify_on_close,
      hash: this.ctx.ids.viewHash(),
      state: { values: kept },
    };
    delete updated.errors;
    this.views.set(view.id, updated);
    return updated;
  }

  publishHome(userId: string, valid: ValidView, hash: string | undefined): Outcome<FakeView> {
    const current = this.home(userId);
    if (hash !== undefined && hash !== '' && current?.hash !== hash) return refuse('hash_conflict');
    if (current !== undefined) return accept(this.replaceView(current, valid));
    const view = this.newView(userId, valid, undefined, null);
    this.homes.set(userId, view.id);
    return accept(view);
  }

  /** Closes the top modal (what Slack does when a submission is acknowledged without a body). */
  closeTopModal(userId: string): FakeView | undefined {
    const stack = this.modalStacks.get(userId) ?? [];
    const top = stack.pop();
    if (top === undefined) return undefined;
    const view = this.views.get(top);
    this.views.delete(top);
    if (stack.length === 0) this.modalStacks.delete(userId);
    return view;
  }

  closeAllModals(userId: string): FakeView[] {
    const closed: FakeView[] = [];
    for (const id of this.modalStacks.get(userId) ?? []) {
      const view = this.views.get(id);
      if (view !== undefined) closed.push(view);
      this.views.delete(id);
    }
    this.modalStacks.delete(userId);
    return closed;
  }

  setViewErrors(viewId: string, errors: Record<string, string>): void {
    const view = this.views.get(viewId);
    if (view !== undefined) this.views.set(viewId, { ...view, errors });
  }

  rememberSuggestions(key: string, options: Option[]): void {
    this.suggestedOptions.set(key, options);
  }

  suggestions(key: string): Option[] {
    return this.suggestedOptions.get(key) ?? [];
  }

  clear(): void {
    this.views.clear();
    this.modalStacks.clear();
    this.homes.clear();
    this.suggestedOptions.clear();
  }
}
