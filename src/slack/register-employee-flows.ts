import type { App } from '@slack/bolt';
import type { SlackDeps } from './deps.js';
import type { Subcommand } from './commands/subcommand.js';

/** Employee-facing subcommands (request, mine, return, transfer, ...), in the order help lists them. */
export const employeeSubcommands: Subcommand[] = [];

/** Registers the actions, views and shortcuts of the employee flows. */
export function registerEmployeeFlows(_app: App, _deps: SlackDeps): void {}
