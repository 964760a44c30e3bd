import { describe, expect, it } from '@jest/globals';
import type { SlackBlock } from '../../src/types.js';
import {
  clientSideErrors,
  completeState,
  FieldValueError,
  toStateValue,
  type StateLookups,
} from '../../src/view-state.js';

const option = (value: string, text = value.toUpperCase()) => ({
  text: { type: 'plain_text' as const, text },
  value,
});

const lookups: StateLookups = {
  userExists: (id) => id === 'U1',
  conversationId: (ref) => (ref === '#assets' || ref === 'C1' ? 'C1' : undefined),
  suggestedOptions: (actionId) => (actionId === 'asset' ? [option('a-1', 'MacBook Pro 14')] : []),
  attachFile: (file) => ({ id: 'F1', name: 'name' in file ? file.name : file.fileId, filetype: 'csv' }),
};

const el = (type: string, extra: Record<string, unknown> = {}) => ({ type, action_id: 'v', ...extra });

describe('values a person enters, as Slack reports them', () => {
  it('reads text, numbers and dates', () => {
    expect(toStateValue(el('plain_text_input'), 'Dell XPS', lookups)).toEqual({
      type: 'plain_text_input',
      value: 'Dell XPS',
    });
    expect(toStateValue(el('number_input'), 3, lookups)).toEqual({ type: 'number_input', value: '3' });
    expect(toStateValue(el('datepicker'), '2025-03-01', lookups)).toEqual({
      type: 'datepicker',
      selected_date: '2025-03-01',
    });
    expect(() => toStateValue(el('datepicker'), '01/03/2025', lookups)).toThrow(FieldValueError);
  });

  it('picks options by value, including from option groups, and refuses unknown ones', () => {
    const select = el('static_select', {
      option_groups: [{ label: { type: 'plain_text', text: 'g' }, options: [option('mbp')] }],
    });
    expect(toStateValue(select, 'mbp', lookups)).toEqual({
      type: 'static_select',
      selected_option: { text: { type: 'plain_text', text: 'MBP' }, value: 'mbp' },
    });
    expect(() => toStateValue(select, 'thinkpad', lookups)).toThrow('options: mbp');
    const boxes = el('checkboxes', { options: [option('a'), option('b')] });
    expect(toStateValue(boxes, ['b'], lookups).selected_options?.map((o) => o.value)).toEqual(['b']);
  });

  it('resolves external select values from the options the app suggested', () => {
    expect(
      toStateValue(el('external_select', { action_id: 'asset' }), 'a-1', lookups).selected_option,
    ).toEqual({
      text: { type: 'plain_text', text: 'MacBook Pro 14' },
      value: 'a-1',
    });
    expect(() => toStateValue(el('external_select', { action_id: 'other' }), 'a-1', lookups)).toThrow(
      FieldValueError,
    );
  });

  it('only picks people and channels that exist', () => {
    expect(toStateValue(el('users_select'), 'U1', lookups)).toEqual({
      type: 'users_select',
      selected_user: 'U1',
    });
    expect(() => toStateValue(el('users_select'), 'U404', lookups)).toThrow('no user U404');
    expect(toStateValue(el('conversations_select'), '#assets', lookups)).toEqual({
      type: 'conversations_select',
      selected_conversation: 'C1',
    });
  });

  it('attaches files to a file_input', () => {
    expect(toStateValue(el('file_input'), [{ name: 'laptops.csv', content: 'a,b' }], lookups)).toEqual({
      type: 'file_input',
      files: [{ id: 'F1', name: 'laptops.csv', filetype: 'csv' }],
    });
  });
});

describe('what the Slack client checks before submitting', () => {
  const input = (blockId: string, element: Record<string, unknown>, optional = false): SlackBlock =>
    ({
      type: 'input',
      block_id: blockId,
      label: { type: 'plain_text', text: blockId },
      element,
      optional,
    }) as SlackBlock;

  const blocks = [
    input('name', el('plain_text_input', { min_length: 3, max_length: 10 })),
    input('qty', el('number_input', { is_decimal_allowed: false, max_value: '5' })),
    input('note', el('plain_text_input'), true),
    input('serial', el('plain_text_input', { initial_value: 'SN-1' })),
  ];

  it('requires non-optional inputs and fills untouched ones with their initial values', () => {
    const state = completeState(blocks, {});
    expect(state.serial?.v).toEqual({ type: 'plain_text_input', value: 'SN-1' });
    expect(clientSideErrors(blocks, state)).toEqual({
      name: 'Please complete this required field.',
      qty: 'Please complete this required field.',
    });
  });

  it('enforces lengths and number rules', () => {
    const state = completeState(blocks, {
      name: { v: { type: 'plain_text_input', value: 'ab' } },
      qty: { v: { type: 'number_input', value: '2.5' } },
    });
    expect(clientSideErrors(blocks, state)).toEqual({
      name: 'Must be at least 3 characters.',
      qty: 'Enter a whole number.',
    });
    const fine = completeState(blocks, {
      name: { v: { type: 'plain_text_input', value: 'abc' } },
      qty: { v: { type: 'number_input', value: '5' } },
    });
    expect(clientSideErrors(blocks, fine)).toEqual({});
  });
});
