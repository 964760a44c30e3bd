import type { App } from '@slack/bolt';
import { z } from 'zod';
import { authorize, can } from '../../domain/index.js';
import type { SlackDeps } from '../deps.js';
import { SlashCommand } from '../ids.js';
import { describeError, inputText, usageText } from '../messages.js';
import { actorOf, messageContextOf } from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';
import { findSubcommand } from './subcommands/find.subcommand.js';
import { helpSubcommand } from './subcommands/help.subcommand.js';
import type { Subcommand } from './subcommand.js';
import { mineSubcommand } from './subcommands/mine.subcommand.js';
import { requestSubcommand } from './subcommands/request.subcommand.js';
import { returnSubcommand } from './subcommands/return.subcommand.js';
import { transferSubcommand } from './subcommands/transfer.subcommand.js';
import { addSubcommand } from './subcommands/add.subcommand.js';
import { checkinSubcommand } from './subcommands/checkin.subcommand.js';
import { checkoutSubcommand } from './subcommands/checkout.subcommand.js';
import { historySubcommand } from './subcommands/history.subcommand.js';

const slashCommandSchema = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1),
  text: z.string().default(''),
});

const maxCommandText = 2000;
/** C0 controls other than tab, newline and carriage return, and DEL: nothing a person means to type. */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Slack sends command text with `&`, `<` and `>` escaped as entities (mentions and channels stay as
 * `<@U…|name>` / `<#C…|name>`): the characters a person typed are read back as typed.
 */
export function unescapeCommandText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Every subcommand, in the order help lists them: everyone's first, then IT's. */
export function buildSubcommands(): Subcommand[] {
  const list: Subcommand[] = [];
  list.push(
    helpSubcommand(() => list),
    findSubcommand,
    requestSubcommand,
    mineSubcommand,
    returnSubcommand,
    transferSubcommand,
    addSubcommand,
    checkoutSubcommand,
    checkinSubcommand,
    historySubcommand,
  );
  return list;
}

/** Splits "find  LAP-1" into ["find", "LAP-1"]; the subcommand name is case-insensitive. */
export function splitSubcommand(text: string): { name: string; args: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { name: 'help', args: '' };
  const space = trimmed.search(/\s/);
  if (space === -1) return { name: trimmed.toLowerCase(), args: '' };
  return { name: trimmed.slice(0, space).toLowerCase(), args: trimmed.slice(space + 1).trim() };
}

export function registerAssetCommand(app: App, deps: SlackDeps): void {
  const subcommands = buildSubcommands();
  const byName = new Map(subcommands.map((sub) => [sub.name, sub]));

  app.command(SlashCommand, async ({ ack, command, respond, client }) => {
    await ack();
    const messageContext = messageContextOf(deps);
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });
    await withUserFacingErrors(respond, deps.logger, messageContext, async () => {
      const input = slashCommandSchema.parse(command);
      if (input.text.length > maxCommandText) {
        await reply(inputText.commandTooLong(input.text.length, maxCommandText));
        return;
      }
      if (controlCharacters.test(input.text)) {
        deps.logger.warn({ userId: input.user_id }, 'refused a command with control characters');
        await reply(inputText.controlCharacters);
        return;
      }
      const person = await actorOf(deps, input.team_id, input.user_id);
      const { name, args } = splitSubcommand(unescapeCommandText(input.text));
      const sub = byName.get(name);
      if (!sub) {
        const usable = subcommands.filter((s) => can(person, s.capability)).map((s) => s.name);
        await reply(usageText.unknownSubcommand(name, usable));
        return;
      }
      const allowed = authorize(person, sub.capability);
      if (!allowed.ok) {
        await reply(describeError(allowed.error, messageContext()));
        return;
      }
      await sub.run({
        teamId: input.team_id,
        userId: input.user_id,
        channelId: input.channel_id,
        triggerId: input.trigger_id,
        person,
        args,
        respond,
        client,
        deps,
      });
    });
  });
}
