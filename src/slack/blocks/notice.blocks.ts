/** Pure: a modal that only tells the person something (a refusal from the App Home, where no ephemeral exists). */
import type { ModalView } from '@slack/types';
import { BlockIds, CallbackIds } from '../ids.js';
import { clip } from './format.js';

export function buildNoticeModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackIds.noticeModal,
    title: { type: 'plain_text', text: clip(title, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      { type: 'section', block_id: BlockIds.notice, text: { type: 'mrkdwn', text: clip(text, 3000) } },
    ],
  };
}
