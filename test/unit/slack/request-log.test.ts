import { describe, expect, it } from '@jest/globals';
import { requestIds } from '../../../src/slack/request-log.js';

describe('the per-request log line', () => {
  it('names the team, user, channel and command of a slash command', () => {
    expect(
      requestIds({ command: '/asset', team_id: 'T1', user_id: 'U1', channel_id: 'C1', text: 'find x' }),
    ).toEqual({
      kind: 'slash_command',
      teamId: 'T1',
      userId: 'U1',
      channelId: 'C1',
      command: '/asset',
      actionId: undefined,
      callbackId: undefined,
      eventType: undefined,
    });
  });

  it('names the action and the view of an interaction', () => {
    const ids = requestIds({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U1', team_id: 'T1' },
      actions: [{ action_id: 'approve_request' }],
      view: { callback_id: 'approve_request_modal' },
    });
    expect(ids).toMatchObject({
      kind: 'block_actions',
      teamId: 'T1',
      userId: 'U1',
      actionId: 'approve_request',
      callbackId: 'approve_request_modal',
    });
  });

  it('names the event type and user of an Events API callback', () => {
    expect(
      requestIds({
        type: 'event_callback',
        team_id: 'T1',
        event: { type: 'app_home_opened', user: 'U1', channel: 'D1' },
      }),
    ).toMatchObject({
      kind: 'event_callback',
      eventType: 'app_home_opened',
      userId: 'U1',
      channelId: 'D1',
    });
  });
});
