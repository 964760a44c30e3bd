import { describe, expect, it } from '@jest/globals';
import { formatProblems, validateMessageBlocks, validateView } from '../../src/block-kit/validate.js';

let counter = 0;
const ids = { blockId: () => `gen${++counter}`, actionId: () => `act${++counter}` };

const section = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
  ...extra,
});
const button = (extra: Record<string, unknown> = {}) => ({
  type: 'button',
  text: { type: 'plain_text', text: 'Go' },
  action_id: 'go',
  ...extra,
});
const option = (value: string, text = value) => ({ text: { type: 'plain_text', text }, value });
const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Request asset' },
  submit: { type: 'plain_text', text: 'Send' },
  blocks: [section('hi')],
  ...extra,
});

function messageErrors(blocks: unknown): string[] {
  const result = validateMessageBlocks(blocks, ids);
  return result.ok ? [] : formatProblems(result.problems);
}

function viewErrors(view: unknown, expected?: 'modal' | 'home'): { error?: string; messages: string[] } {
  const result = validateView(view, ids, expected);
  return result.ok ? { messages: [] } : { error: result.error, messages: formatProblems(result.problems) };
}

describe('message blocks', () => {
  it('accepts the block and element types the product uses and fills in missing ids', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Laptops' } },
      section('*MBP-042*', { accessory: { type: 'overflow', options: [option('edit'), option('retire')] } }),
      { type: 'divider' },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'updated' },
          { type: 'image', image_url: 'https://x.test/a.png', alt_text: 'a' },
        ],
      },
      {
        type: 'actions',
        block_id: 'row',
        elements: [
          button({ action_id: 'approve', value: 'req-1', style: 'primary' }),
          { type: 'static_select', action_id: 'pick', options: [option('a'), option('b')] },
          { type: 'external_select', action_id: 'search', min_query_length: 2 },
          { type: 'users_select', action_id: 'who' },
          { type: 'conversations_select', action_id: 'where' },
          { type: 'datepicker', action_id: 'when', initial_date: '2025-01-31' },
          { type: 'checkboxes', action_id: 'flags', options: [option('x')] },
          { type: 'radio_buttons', action_id: 'one', options: [option('y')] },
          { type: 'button', text: { type: 'plain_text', text: 'Docs' }, url: 'https://example.test' },
        ],
      },
      { type: 'image', image_url: 'https://x.test/b.png', alt_text: 'photo' },
      {
        type: 'rich_text',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hello' }] }],
      },
    ];
    const result = validateMessageBlocks(blocks, ids);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.blocks.every((b) => typeof b.block_id === 'string' && b.block_id.length > 0)).toBe(true);
    expect(result.blocks[4]?.block_id).toBe('row');
    const docs = (result.blocks[4]?.elements as { action_id?: string }[])[8];
    expect(docs?.action_id).toMatch(/^act\d+$/);
  });

  it('refuses more than 50 blocks in a message', () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    expect(messageErrors(blocks)).toEqual(['[ERROR] no more than 50 items allowed [json-pointer:/blocks]']);
    expect(messageErrors(blocks.slice(0, 50))).toEqual([]);
  });

  it('refuses unknown block and element types', () => {
    expect(messageErrors([{ type: 'sections', text: { type: 'mrkdwn', text: 'x' } }])).toEqual([
      '[ERROR] unsupported type: sections [json-pointer:/blocks/0/type]',
    ]);
    expect(messageErrors([{ type: 'actions', elements: [{ type: 'slider', action_id: 'a' }] }])).toEqual([
      '[ERROR] unsupported type: slider [json-pointer:/blocks/0/elements/0/type]',
    ]);
  });

  it('refuses properties Slack does not know, such as block_id on an element', () => {
    expect(messageErrors([{ type: 'actions', elements: [button({ block_id: 'oops' })] }])).toEqual([
      '[ERROR] invalid additional property: block_id [json-pointer:/blocks/0/elements/0]',
    ]);
  });

  it('enforces section limits: text 3000, at most 10 fields of 2000 each, text or fields', () => {
    expect(messageErrors([section('x'.repeat(3001))])).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(messageErrors([section('x'.repeat(3000))])).toEqual([]);
    const field = (t: string) => ({ type: 'mrkdwn', text: t });
    expect(
      messageErrors([{ type: 'section', fields: Array.from({ length: 11 }, () => field('f')) }]),
    ).toEqual(['[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]']);
    expect(messageErrors([{ type: 'section', fields: [field('x'.repeat(2001))] }])).toEqual([
      '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
    ]);
    expect(messageErrors([{ type: 'section' }])).toEqual([
      '[ERROR] must provide either `text` or `fields` [json-pointer:/blocks/0]',
    ]);
  });

  it('enforces header text 150 and plain_text only', () => {
    expect(messageErrors([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }])).toEqual([
      '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(messageErrors([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }])).toEqual([
      '[ERROR] must be a valid enum value [json-pointer:/blocks/0/text/type]',
    ]);
  });

  it('enforces button limits: text 75, value 2000, url 3000', () => {
    const inActions = (b: unknown) => [{ type: 'actions', elements: [b] }];
    expect(messageErrors(inActions(button({ text: { type: 'plain_text', text: 'b'.repeat(76) } })))).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ]);
    expect(messageErrors(inActions(button({ value: 'v'.repeat(2001) })))).toEqual([
      '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ]);
    expect(messageErrors(inActions(button({ url: 'https://x.test/' + 'u'.repeat(3000) })))).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]',
    ]);
  });

  it('enforces 255 characters for action_id and block_id', () => {
    expect(messageErrors([{ type: 'actions', elements: [button({ action_id: 'a'.repeat(256) })] }])).toEqual([
      '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ]);
    expect(messageErrors([{ ...section('x'), block_id: 'b'.repeat(256) }])).toEqual([
      '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]',
    ]);
  });

  it('allows at most 25 elements in an actions block', () => {
    const elements = Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` }));
    expect(messageErrors([{ type: 'actions', elements }])).toEqual([
      '[ERROR] no more than 25 items allowed [json-pointer:/blocks/0/elements]',
    ]);
    expect(messageErrors([{ type: 'actions', elements: elements.slice(0, 25) }])).toEqual([]);
  });

  it('enforces option text 75 and at most 100 options in a static_select', () => {
    const select = (options: unknown[]) => [
      { type: 'actions', elements: [{ type: 'static_select', action_id: 's', options }] },
    ];
    expect(messageErrors(select([option('v', 'o'.repeat(76))]))).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/text/text]',
    ]);
    const many = Array.from({ length: 101 }, (_, i) => option(`v${i}`));
    expect(messageErrors(select(many))).toEqual([
      '[ERROR] no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]',
    ]);
    expect(messageErrors(select(many.slice(0, 100)))).toEqual([]);
  });

  it('refuses duplicate block_ids and duplicate action_ids within a block', () => {
    expect(
      messageErrors([
        { ...section('a'), block_id: 'same' },
        { ...section('b'), block_id: 'same' },
      ]),
    ).toEqual(['[ERROR] duplicate block_id: same [json-pointer:/blocks/1/block_id]']);
    expect(messageErrors([{ type: 'actions', elements: [button(), button()] }])).toEqual([
      '[ERROR] duplicate action_id: go [json-pointer:/blocks/0/elements/1/action_id]',
    ]);
  });

  it('reports a non-array as a format error', () => {
    const result = validateMessageBlocks({ type: 'section' }, ids);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBe('invalid_blocks_format');
  });

  it('reports a missing required field against its parent', () => {
    expect(messageErrors([{ type: 'header' }])).toEqual([
      '[ERROR] missing required field: text [json-pointer:/blocks/0]',
    ]);
  });
});

describe('views', () => {
  it('accepts a modal with inputs of every supported element type', () => {
    const input = (
      blockId: string,
      element: Record<string, unknown>,
      extra: Record<string, unknown> = {},
    ) => ({
      type: 'input',
      block_id: blockId,
      label: { type: 'plain_text', text: blockId },
      element: { action_id: `${blockId}_value`, ...element },
      ...extra,
    });
    const view = modal({
      callback_id: 'request_asset',
      private_metadata: JSON.stringify({ asset: 'a1' }),
      blocks: [
        input('name', { type: 'plain_text_input', max_length: 80 }),
        input('count', { type: 'number_input', is_decimal_allowed: false, min_value: '1' }),
        input('model', {
          type: 'static_select',
          option_groups: [{ label: { type: 'plain_text', text: 'Apple' }, options: [option('mbp')] }],
        }),
        input('asset', { type: 'external_select', min_query_length: 1 }),
        input('owner', { type: 'users_select' }),
        input('channel', { type: 'conversations_select', response_url_enabled: true }),
        input('due', { type: 'datepicker' }),
        input('flags', { type: 'checkboxes', options: [option('a')] }, { optional: true }),
        input('kind', { type: 'radio_buttons', options: [option('b')] }),
        input('receipt', { type: 'file_input', filetypes: ['csv'], max_files: 1 }),
      ],
    });
    const result = validateView(view, ids, 'modal');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.view.callback_id).toBe('request_asset');
      expect(result.view.title?.text).toBe('Request asset');
    }
  });

  it('refuses more than 100 blocks in a modal or App Home', () => {
    const blocks = Array.from({ length: 101 }, (_, i) => section(`r${i}`));
    expect(viewErrors(modal({ blocks }))).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
    });
    expect(viewErrors({ type: 'home', blocks })).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
    });
    expect(viewErrors({ type: 'home', blocks: blocks.slice(0, 100) })).toEqual({ messages: [] });
  });

  it('refuses a view over 250 KB', () => {
    const blocks = Array.from({ length: 90 }, (_, i) => section('y'.repeat(2990), { block_id: `b${i}` }));
    expect(viewErrors({ type: 'home', blocks })).toEqual({ error: 'view_too_large', messages: [] });
  });

  it('limits modal title, submit and close to 24 characters', () => {
    const long = { type: 'plain_text', text: 'x'.repeat(25) };
    expect(viewErrors(modal({ title: long })).messages).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    expect(viewErrors(modal({ submit: long })).messages).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]',
    ]);
    expect(viewErrors(modal({ close: long })).messages).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/close/text]',
    ]);
  });

  it('requires submit when a modal has input blocks', () => {
    const { submit: _submit, ...noSubmit } = modal({
      blocks: [
        section('a'),
        { type: 'input', label: { type: 'plain_text', text: 'N' }, element: { type: 'plain_text_input' } },
      ],
    });
    expect(viewErrors(noSubmit).messages).toEqual([
      '[ERROR] must define `submit` to use an `input` block in modals [json-pointer:/view/blocks/1/input]',
    ]);
  });

  it('limits private_metadata to 3000 and callback_id to 255 characters', () => {
    expect(viewErrors(modal({ private_metadata: 'm'.repeat(3001) })).messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ]);
    expect(viewErrors(modal({ callback_id: 'c'.repeat(256) })).messages).toEqual([
      '[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]',
    ]);
  });

  it('refuses duplicate block_ids in a view', () => {
    expect(
      viewErrors(
        modal({
          blocks: [
            { ...section('a'), block_id: 'x' },
            { type: 'divider', block_id: 'x' },
          ],
        }),
      ).messages,
    ).toEqual(['[ERROR] duplicate block_id: x [json-pointer:/view/blocks/1/block_id]']);
  });

  it('checks the view type a method expects', () => {
    expect(viewErrors({ type: 'home', blocks: [] }, 'modal').messages).toEqual([
      '[ERROR] must be a valid enum value [json-pointer:/view/type]',
    ]);
    expect(
      viewErrors({ type: 'home', title: { type: 'plain_text', text: 'no' }, blocks: [] }).messages,
    ).toEqual(['[ERROR] invalid additional property: title [json-pointer:/view]']);
  });
});
