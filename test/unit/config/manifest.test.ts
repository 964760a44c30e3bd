import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CallbackIds, SlashCommand } from '../../../src/slack/ids.js';

interface Manifest {
  display_information: { name: string };
  features: {
    app_home: { home_tab_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: Array<{ command: string; usage_hint: string; url: string; should_escape: boolean }>;
    shortcuts: Array<{ type: string; callback_id: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync('manifest.yml', 'utf8')) as Manifest;

describe('the Slack app manifest', () => {
  it('declares the /asset command with a usage hint and escaped mentions (so /asset find @person works)', () => {
    const command = manifest.features.slash_commands.find((c) => c.command === SlashCommand);
    expect(command?.usage_hint).toMatch(/find/);
    expect(command?.should_escape).toBe(true);
    expect(command?.url).toMatch(/\/slack\/events$/);
  });

  it('enables the App Home tab and subscribes to app_home_opened', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  });

  it('enables interactivity with an options load URL for external selects', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.message_menu_options_url).toMatch(/\/slack\/events$/);
  });

  it('has the global shortcut the app listens for', () => {
    expect(manifest.features.shortcuts).toContainEqual(
      expect.objectContaining({ type: 'global', callback_id: CallbackIds.requestShortcut }),
    );
  });

  it('asks for exactly the bot scopes an asset bot needs', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['chat:write', 'chat:write.public', 'commands', 'im:write', 'users:read', 'users:read.email'].sort(),
    );
  });

  it('is set up for Socket Mode (one-paste development setup)', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
