import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { sandboxSlashCommands } from '../../../src/sandbox/slash-commands.js';
import { escapeTypedText, type Directory } from '../../../src/sandbox/slack-escaping.js';

const directory: Directory = {
  people: [
    { id: 'U0SARA0001', name: 'sara', realName: 'Sara Ortiz', displayName: 'sara' },
    { id: 'U0TOM00001', name: 'tom', realName: 'Tom Becker', displayName: 'Tommy' },
    { id: 'U0SARAH001', name: 'sarah.k', realName: 'Sarah Klein', displayName: 'Alex' },
    { id: 'U0ALEX0001', name: 'alex', realName: 'Alex Kim', displayName: 'alex' },
    { id: 'U0ALEX0002', name: 'alex.b', realName: 'Alex Kim', displayName: 'Alex B' },
  ],
  channels: [
    { id: 'C0GENERAL1', name: 'general' },
    { id: 'C0ITREQUESTS', name: 'it-requests' },
  ],
};

const command = (text: string) => escapeTypedText(text, directory, 'command');

describe('escaping typed text as Slack does', () => {
  it('turns a handle into an escaped mention with the handle after the bar', () => {
    expect(command('find @sara')).toBe('find <@U0SARA0001|sara>');
    expect(command('@tom')).toBe('<@U0TOM00001|tom>');
    expect(command('transfer LAP-002 @SARA please')).toBe('transfer LAP-002 <@U0SARA0001|sara> please');
  });

  it('knows people by full and display name too, as the picker offers them, longest name first', () => {
    expect(command('find @Sara Ortiz')).toBe('find <@U0SARA0001|sara>');
    expect(command('find @Tommy')).toBe('find <@U0TOM00001|tom>');
    expect(command('find @sarah.k')).toBe('find <@U0SARAH001|sarah.k>');
  });

  it('lets a handle win over someone else’s display name, and leaves a shared full name as text', () => {
    // "Alex" is Sarah's display name and the handle of Alex Kim: the handle names its owner.
    expect(command('find @alex')).toBe('find <@U0ALEX0001|alex>');
    // Two people are called "Alex Kim": typed, it names nobody (then "@alex" is found in it).
    expect(command('find @Alex Kim')).toBe('find <@U0ALEX0001|alex> Kim');
  });

  it('leaves unknown names, e-mail addresses and longer words as typed', () => {
    expect(command('find @nobody')).toBe('find @nobody');
    expect(command('mail sara@example.com or a@b.com')).toBe('mail sara@example.com or a@b.com');
    expect(command('find @sarah @sara_o @sara-x')).toBe('find @sarah @sara_o @sara-x');
    expect(command('find @sara.ortiz')).toBe('find @sara.ortiz');
  });

  it('ends a mention at punctuation', () => {
    expect(command('@sara, @tom.')).toBe('<@U0SARA0001|sara>, <@U0TOM00001|tom>.');
    expect(command('(@sara) @tom! @sara?')).toBe(
      '(<@U0SARA0001|sara>) <@U0TOM00001|tom>! <@U0SARA0001|sara>?',
    );
    expect(command("@sara's laptop")).toBe("<@U0SARA0001|sara>'s laptop");
  });

  it('escapes channels the person can see, and leaves other #words', () => {
    expect(command('post in #general and #it-requests')).toBe(
      'post in <#C0GENERAL1|general> and <#C0ITREQUESTS|it-requests>',
    );
    expect(command('#it is not #random, issue #42')).toBe('#it is not #random, issue #42');
  });

  it('encodes Slack’s control characters, so typed brackets can never forge a mention', () => {
    expect(command('find Dell & HP <@U0TOM00001>')).toBe('find Dell &amp; HP &lt;@U0TOM00001&gt;');
    expect(command('@sara <3')).toBe('<@U0SARA0001|sara> &lt;3');
  });

  it('leaves mentions inside code as typed', () => {
    expect(command('see `@sara` and ```@tom #general``` @tom')).toBe(
      'see `@sara` and ```@tom #general``` <@U0TOM00001|tom>',
    );
  });

  it('sends messages with plain ids, and only encodes when the command does not ask for escaping', () => {
    expect(escapeTypedText('hi @sara in #general', directory, 'message')).toBe(
      'hi <@U0SARA0001> in <#C0GENERAL1>',
    );
    expect(escapeTypedText('find @sara & co', directory, 'command_unescaped')).toBe('find @sara &amp; co');
  });
});

describe("the sandbox's slash commands", () => {
  it('are the commands manifest.yml declares, with its should_escape', () => {
    const manifest = parse(readFileSync('manifest.yml', 'utf8')) as {
      features: { slash_commands: Array<{ command: string; should_escape?: boolean }> };
    };
    expect(sandboxSlashCommands).toEqual(
      manifest.features.slash_commands.map((c) => ({
        command: c.command,
        shouldEscape: c.should_escape === true,
      })),
    );
  });
});
