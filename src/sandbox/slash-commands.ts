/**
 * The slash commands the sandbox's workspace has, as manifest.yml declares them (the sandbox cannot read
 * the manifest at run time: its YAML parser is a development dependency). A test keeps the two equal.
 */
export interface SandboxSlashCommand {
  command: string;
  /** `should_escape`: Slack turns typed mentions into `<@U…|name>` / `<#C…|name>` before sending. */
  shouldEscape: boolean;
}

export const sandboxSlashCommands: readonly SandboxSlashCommand[] = [
  { command: '/asset', shouldEscape: true },
];

export function slashCommandNamed(name: string): SandboxSlashCommand | undefined {
  return sandboxSlashCommands.find((c) => c.command === name.toLowerCase());
}
