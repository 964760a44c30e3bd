/** Pure: the small Block Kit pieces every builder uses, within Slack's limits. */
import type { Button, SectionBlock } from '@slack/types';
import { clip } from './format.js';

/** A mrkdwn section (text clipped to Slack's 3000 characters), optionally with an accessory button. */
export function textSection(blockId: string, text: string, accessory?: Button): SectionBlock {
  return {
    type: 'section',
    block_id: blockId,
    text: { type: 'mrkdwn', text: clip(text, 3000) },
    ...(accessory ? { accessory } : {}),
  };
}

/** A button; `value` carries what the listener needs (an id or a tag). Text is clipped to Slack's 75. */
export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: clip(text, 75) },
    value,
    ...(style ? { style } : {}),
  };
}
