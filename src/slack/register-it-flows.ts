import type { App } from '@slack/bolt';
import type { SlackDeps } from './deps.js';
import type { Subcommand } from './commands/subcommand.js';

/** IT subcommands (add, checkout, checkin, history, ...), in the order help lists them. */
export const itSubcommands: Subcommand[] = [];

/** Registers the actions and views of the IT flows (approve, deny, confirm return, ...). */
export function registerItFlows(_app: App, _deps: SlackDeps): void {}
