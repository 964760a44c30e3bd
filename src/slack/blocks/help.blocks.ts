/** Pure: the `/asset help` guide, listing only what the caller may use. */
import type { KnownBlock } from '@slack/types';
import type { Role } from '../../domain/index.js';
import { BlockIds } from '../ids.js';

export interface HelpEntry {
  usage: string;
  description: string;
}

export function buildHelpMessage(entries: HelpEntry[], role: Role): { text: string; blocks: KnownBlock[] } {
  const lines = entries.map((e) => `• \`${e.usage}\` — ${e.description}`);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: BlockIds.helpHeader,
      text: {
        type: 'mrkdwn',
        text: '*Custodian* keeps track of who has which laptop, phone or license. You can use:',
      },
    },
    { type: 'section', block_id: 'help_commands', text: { type: 'mrkdwn', text: lines.join('\n') } },
    {
      type: 'context',
      block_id: 'help_footer',
      elements: [
        {
          type: 'mrkdwn',
          text:
            role === 'admin' || role === 'it'
              ? `You see the IT commands because you are ${role === 'admin' ? 'an admin' : 'IT staff'}. Open the app’s *Home* tab for the queue.`
              : 'Open the app’s *Home* tab to see what you hold.',
        },
      ],
    },
  ];
  return { text: `Custodian commands:\n${lines.join('\n')}`, blocks };
}
