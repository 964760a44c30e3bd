import type { App } from '@slack/bolt';
import { z } from 'zod';
import { can } from '../../domain/index.js';
import type { SlackDeps } from '../deps.js';
import { SlashCommand } from '../ids.js';
import { describeError } from '../messages.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { findSubcommand } from './subcommands/find.subcommand.js';
import { helpSubcommand } from './subcommands/help.subcommand.js';
import type { Subcommand } from './subcommand.js';
import { employeeSubcommands } from '../register-employee-flows.js';
import { itSubcommands } from '../register-it-flows.js';

const slashCommandSchema = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1),
  text: z.string().default(''),
});

const maxCommandText = 2000;

export function buildSubcommands(): Subcommand[] {
  const list: Subcommand[] = [];
  list.push(
    helpSubcommand(() => list),
    findSubcommand,
    ...employeeSubcommands,
    ...itSubcommands,
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
    const messageContext = () => ({ timeZone: deps.settings.timeZone, now: deps.clock.now() });
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });
    await withUserFacingErrors(respond, deps.logger, messageContext, async () => {
      const input = slashCommandSchema.parse(command);
      if (input.text.length > maxCommandText) {
        await reply(`That command is too long (${input.text.length} characters; at most ${maxCommandText}).`);
        return;
      }
      const { name, args } = splitSubcommand(input.text);
      const sub = byName.get(name);
      if (!sub) {
        const known = subcommands.map((s) => `\`${s.name}\``).join(', ');
        await reply(
          `I don't know \`${name.slice(0, 40)}\`. Known subcommands: ${known}. Try \`/asset help\`.`,
        );
        return;
      }
      const person = await deps.people.resolve(input.team_id, input.user_id);
      if (!person) {
        await reply(
          describeError({ code: 'person.not_found', details: { userId: input.user_id } }, messageContext()),
        );
        return;
      }
      if (!can(person, sub.capability)) {
        await reply(
          describeError({ code: 'permission.denied', details: { action: sub.refusal } }, messageContext()),
        );
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
