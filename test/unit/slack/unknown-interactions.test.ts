import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/platform/logger.js';
import { ActionIds, CallbackIds } from '../../../src/slack/ids.js';
import { retiredButtonText, retiredFormText } from '../../../src/slack/messages.js';
import {
  answerUnknownInteractions,
  findUnknownInteraction,
  isKnownActionId,
  isKnownCallbackId,
} from '../../../src/slack/unknown-interactions.js';

const user = { id: 'U1', team_id: 'T1' };

describe('which ids this version knows', () => {
  it('knows every action_id in ids.ts, and the pagers with their suffixes', () => {
    for (const id of Object.values(ActionIds)) expect(isKnownActionId(id)).toBe(true);
    for (const id of ['mine_page:next', 'find_page:prev', 'history_page:next']) {
      expect(isKnownActionId(id)).toBe(true);
    }
  });

  it('does not take a longer id for a known one', () => {
    expect(isKnownActionId('mine_pager')).toBe(false);
    expect(isKnownActionId('approve_request_v1')).toBe(false);
    expect(isKnownActionId('retired_button')).toBe(false);
  });

  it('knows every callback_id in ids.ts and nothing else', () => {
    for (const id of Object.values(CallbackIds)) expect(isKnownCallbackId(id)).toBe(true);
    expect(isKnownCallbackId('request_asset_modal_v0')).toBe(false);
  });
});

describe('what no listener will answer', () => {
  it('names an unknown button, link, option list, form and shortcut', () => {
    expect(findUnknownInteraction({ type: 'block_actions', user, actions: [{ action_id: 'old' }] })).toEqual({
      kind: 'button',
      id: 'old',
    });
    expect(
      findUnknownInteraction({
        type: 'block_actions',
        user,
        actions: [{ action_id: 'old', url: 'https://x' }],
      }),
    ).toEqual({ kind: 'link', id: 'old' });
    expect(findUnknownInteraction({ type: 'block_suggestion', user, action_id: 'old' })).toEqual({
      kind: 'suggestion',
      id: 'old',
    });
    expect(findUnknownInteraction({ type: 'view_submission', user, view: { callback_id: 'old' } })).toEqual({
      kind: 'form',
      id: 'old',
    });
    expect(findUnknownInteraction({ type: 'view_closed', user, view: { callback_id: 'old' } })).toEqual({
      kind: 'form_closed',
      id: 'old',
    });
    expect(findUnknownInteraction({ type: 'shortcut', user, callback_id: 'old' })).toEqual({
      kind: 'shortcut',
      id: 'old',
    });
    expect(findUnknownInteraction({ type: 'message_action', user, callback_id: 'old' })).toEqual({
      kind: 'shortcut',
      id: 'old',
    });
  });

  it('leaves known ids, commands, events and odd bodies to Bolt and the listeners', () => {
    expect(
      findUnknownInteraction({ type: 'block_actions', user, actions: [{ action_id: 'mine_page:next' }] }),
    ).toBeUndefined();
    expect(
      findUnknownInteraction({
        type: 'view_submission',
        user,
        view: { callback_id: CallbackIds.checkoutModal },
      }),
    ).toBeUndefined();
    expect(
      findUnknownInteraction({ type: 'shortcut', user, callback_id: CallbackIds.requestShortcut }),
    ).toBeUndefined();
    expect(findUnknownInteraction({ command: '/asset', text: 'help' })).toBeUndefined();
    expect(
      findUnknownInteraction({ type: 'event_callback', event: { type: 'app_home_opened' } }),
    ).toBeUndefined();
    expect(findUnknownInteraction({ type: 'block_actions', user, actions: [] })).toBeUndefined();
    expect(findUnknownInteraction(null)).toBeUndefined();
  });
});

describe('the middleware', () => {
  function run(body: object, extra: { respond?: (m: unknown) => Promise<void> } = {}) {
    const lines: Array<{ level: number; msg: string; id?: string; kind?: string }> = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    const acks: unknown[] = [];
    const calls: Array<[string, unknown]> = [];
    let nextCalled = false;
    const client = {
      views: {
        open: async (args: unknown) => void calls.push(['views.open', args]),
        push: async (args: unknown) => void calls.push(['views.push', args]),
      },
      chat: { postMessage: async (args: unknown) => void calls.push(['chat.postMessage', args]) },
    };
    const middleware = answerUnknownInteractions(createLogger({ level: 'info', destination }));
    const done = middleware({
      body,
      ack: async (response?: unknown) => void acks.push(response),
      next: async () => {
        nextCalled = true;
      },
      client,
      ...extra,
    } as never);
    return { done, lines, acks, calls, nextCalled: () => nextCalled };
  }

  it('passes known interactions on to the listeners', async () => {
    const r = run({ type: 'block_actions', user, actions: [{ action_id: ActionIds.approveRequest }] });
    await r.done;
    expect(r.nextCalled()).toBe(true);
    expect(r.acks).toEqual([]);
    expect(r.lines).toEqual([]);
  });

  it('acknowledges an unknown button, logs its id at warn, and tells the person under the message', async () => {
    const said: unknown[] = [];
    const r = run(
      { type: 'block_actions', user, response_url: 'https://hooks', actions: [{ action_id: 'old_button' }] },
      { respond: async (m) => void said.push(m) },
    );
    await r.done;
    expect(r.nextCalled()).toBe(false);
    expect(r.acks).toEqual([undefined]);
    expect(said).toEqual([{ response_type: 'ephemeral', replace_original: false, text: retiredButtonText }]);
    expect(r.lines).toEqual([expect.objectContaining({ level: 40, id: 'old_button', kind: 'button' })]);
  });

  it('without a response_url or trigger, tells the person by DM', async () => {
    const r = run({ type: 'block_actions', user, actions: [{ action_id: 'old_button' }] });
    await r.done;
    expect(r.calls).toEqual([['chat.postMessage', { channel: 'U1', text: retiredButtonText }]]);
  });

  it('replaces an unknown form with a notice view', async () => {
    const r = run({ type: 'view_submission', user, view: { type: 'modal', callback_id: 'old_form' } });
    await r.done;
    expect(r.acks).toHaveLength(1);
    expect(r.acks[0]).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(JSON.stringify(r.acks[0])).toContain(retiredFormText);
  });

  it('answers an unknown option list with no options', async () => {
    const r = run({ type: 'block_suggestion', user, action_id: 'old_select', value: 'lap' });
    await r.done;
    expect(r.acks).toEqual([{ options: [] }]);
  });
});
