/**
 * Pure rules for the state of stateful elements: the value Slack reports for each element type,
 * turning what a test "types or picks" into that value, and the checks the Slack client makes
 * before it lets a person submit a modal.
 */
import type { FoundElement } from './block-kit/query.js';
import type { JsonObject, JsonValue, Option, SlackBlock, ViewStateValue, ViewStateValues } from './types.js';

export interface OptionInput {
  text: string;
  value: string;
}

/** A file a person attaches in a `file_input`: new content, or a file already in the fake. */
export type AttachedFile = { name: string; content: string | Buffer; mimetype?: string } | { fileId: string };

/** What a test enters into an element; its meaning depends on the element type (see `toStateValue`). */
export type FieldValue =
  string | number | null | OptionInput | readonly string[] | readonly OptionInput[] | readonly AttachedFile[];

/** What `toStateValue` needs from the outside world. */
export interface StateLookups {
  userExists(id: string): boolean;
  /** A channel id (or name) -> id, or undefined if it does not exist. */
  conversationId(ref: string): string | undefined;
  /** Options the app offered for this external select (after a block_suggestion). */
  suggestedOptions(actionId: string): Option[];
  /** Stores an attached file and returns the object Slack puts in `files`. */
  attachFile(file: AttachedFile): JsonObject;
}

type Element = FoundElement['element'];

export class FieldValueError extends Error {}

function optionsOf(element: Element): Option[] {
  const direct = Array.isArray(element.options) ? (element.options as unknown as Option[]) : [];
  const grouped = Array.isArray(element.option_groups)
    ? (element.option_groups as unknown as { options: Option[] }[]).flatMap((g) => g.options)
    : [];
  return [...direct, ...grouped];
}

function stateOption(option: Option): NonNullable<ViewStateValue['selected_option']> {
  return { text: option.text, value: option.value };
}

function pickOption(element: Element, wanted: string | OptionInput, known: Option[]): Option {
  const value = typeof wanted === 'string' ? wanted : wanted.value;
  const found = known.find((o) => o.value === value);
  if (found !== undefined) return found;
  if (
    typeof wanted !== 'string' &&
    (element.type === 'external_select' || element.type === 'multi_external_select')
  ) {
    return { text: { type: 'plain_text', text: wanted.text }, value: wanted.value };
  }
  const available = known.map((o) => o.value).join(', ') || '(none)';
  throw new FieldValueError(
    `"${value}" is not an option of ${element.type} "${element.action_id}"; options: ${available}`,
  );
}

function asList<T>(value: FieldValue, what: string, element: Element): readonly T[] {
  if (!Array.isArray(value))
    throw new FieldValueError(`${element.type} "${element.action_id}" takes ${what}`);
  return value as readonly T[];
}

function asText(value: FieldValue, element: Element): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new FieldValueError(`${element.type} "${element.action_id}" takes text`);
}

/** The state Slack reports for an element the person has not touched. */
export function initialStateValue(element: Element): ViewStateValue {
  const type = element.type;
  const initialOption = element.initial_option as unknown as Option | undefined;
  const initialOptions = element.initial_options as unknown as Option[] | undefined;
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: typeof element.initial_value === 'string' ? element.initial_value : null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: initialOption === undefined ? null : stateOption(initialOption) };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: (initialOptions ?? []).map(stateOption) };
    case 'users_select':
      return { type, selected_user: typeof element.initial_user === 'string' ? element.initial_user : null };
    case 'multi_users_select':
      return { type, selected_users: (element.initial_users as string[] | undefined) ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: (element.initial_conversation as string | undefined) ?? null };
    case 'multi_conversations_select':
      return { type, selected_conversations: (element.initial_conversations as string[] | undefined) ?? [] };
    case 'channels_select':
      return { type, selected_channel: (element.initial_channel as string | undefined) ?? null };
    case 'multi_channels_select':
      return { type, selected_channels: (element.initial_channels as string[] | undefined) ?? [] };
    case 'datepicker':
      return { type, selected_date: (element.initial_date as string | undefined) ?? null };
    case 'timepicker':
      return { type, selected_time: (element.initial_time as string | undefined) ?? null };
    case 'datetimepicker':
      return { type, selected_date_time: (element.initial_date_time as number | undefined) ?? null };
    case 'file_input':
      return { type, files: [] };
    case 'rich_text_input':
      return element.initial_value === undefined
        ? { type }
        : { type, rich_text_value: element.initial_value as JsonObject };
    default:
      return { type };
  }
}

/** Turns what a test enters into the state value Slack would report for that element. */
export function toStateValue(element: Element, value: FieldValue, lookups: StateLookups): ViewStateValue {
  const type = element.type;
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: value === null ? null : asText(value, element) };
    case 'number_input':
      return { type, value: value === null ? null : asText(value, element) };
    case 'static_select':
    case 'radio_buttons':
    case 'overflow':
      if (value === null) return { type, selected_option: null };
      return {
        type,
        selected_option: stateOption(pickOption(element, value as string | OptionInput, optionsOf(element))),
      };
    case 'external_select':
      if (value === null) return { type, selected_option: null };
      return {
        type,
        selected_option: stateOption(
          pickOption(element, value as string | OptionInput, lookups.suggestedOptions(element.action_id)),
        ),
      };
    case 'multi_static_select':
    case 'checkboxes':
      return {
        type,
        selected_options: asList<string | OptionInput>(value, 'a list of option values', element).map((v) =>
          stateOption(pickOption(element, v, optionsOf(element))),
        ),
      };
    case 'multi_external_select':
      return {
        type,
        selected_options: asList<string | OptionInput>(value, 'a list of options', element).map((v) =>
          stateOption(pickOption(element, v, lookups.suggestedOptions(element.action_id))),
        ),
      };
    case 'users_select':
    case 'multi_users_select': {
      const ids =
        type === 'users_select'
          ? value === null
            ? []
            : [asText(value, element)]
          : [...asList<string>(value, 'user ids', element)];
      for (const id of ids) {
        if (!lookups.userExists(id))
          throw new FieldValueError(`${type} "${element.action_id}": no user ${id} in the workspace`);
      }
      return type === 'users_select'
        ? { type, selected_user: ids[0] ?? null }
        : { type, selected_users: ids };
    }
    case 'conversations_select':
    case 'channels_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const refs = type.startsWith('multi_')
        ? [...asList<string>(value, 'channel ids', element)]
        : value === null
          ? []
          : [asText(value, element)];
      const ids = refs.map((ref) => {
        const id = lookups.conversationId(ref);
        if (id === undefined) throw new FieldValueError(`${type} "${element.action_id}": no channel ${ref}`);
        return id;
      });
      if (type === 'conversations_select') return { type, selected_conversation: ids[0] ?? null };
      if (type === 'channels_select') return { type, selected_channel: ids[0] ?? null };
      if (type === 'multi_conversations_select') return { type, selected_conversations: ids };
      return { type, selected_channels: ids };
    }
    case 'datepicker': {
      const date = value === null ? null : asText(value, element);
      if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date))
        throw new FieldValueError(`datepicker "${element.action_id}" takes YYYY-MM-DD, got ${date}`);
      return { type, selected_date: date };
    }
    case 'timepicker': {
      const time = value === null ? null : asText(value, element);
      if (time !== null && !/^\d{2}:\d{2}$/.test(time))
        throw new FieldValueError(`timepicker "${element.action_id}" takes HH:mm, got ${time}`);
      return { type, selected_time: time };
    }
    case 'datetimepicker':
      if (value !== null && typeof value !== 'number')
        throw new FieldValueError(`datetimepicker "${element.action_id}" takes epoch seconds`);
      return { type, selected_date_time: value };
    case 'file_input':
      return {
        type,
        files: asList<AttachedFile>(value, 'a list of files', element).map((f) => lookups.attachFile(f)),
      };
    case 'rich_text_input': {
      const textValue = value === null ? '' : asText(value, element);
      return {
        type,
        rich_text_value: {
          type: 'rich_text',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: textValue }] }],
        },
      };
    }
    default:
      throw new FieldValueError(`${type} "${element.action_id}" holds no value a person can enter`);
  }
}

function isEmpty(state: ViewStateValue): boolean {
  if ('value' in state) return state.value === null || state.value === undefined || state.value === '';
  if ('selected_option' in state) return state.selected_option === null;
  if ('selected_options' in state) return (state.selected_options ?? []).length === 0;
  if ('selected_user' in state) return state.selected_user === null;
  if ('selected_users' in state) return (state.selected_users ?? []).length === 0;
  if ('selected_conversation' in state) return state.selected_conversation === null;
  if ('selected_conversations' in state) return (state.selected_conversations ?? []).length === 0;
  if ('selected_channel' in state) return state.selected_channel === null;
  if ('selected_channels' in state) return (state.selected_channels ?? []).length === 0;
  if ('selected_date' in state) return state.selected_date === null;
  if ('selected_time' in state) return state.selected_time === null;
  if ('selected_date_time' in state) return state.selected_date_time === null;
  if ('files' in state) return (state.files ?? []).length === 0;
  if ('rich_text_value' in state)
    return JSON.stringify(state.rich_text_value).match(/"text":"[^"]+"/) === null;
  return true;
}

/** Input blocks of a view (one element each), in order. */
export function inputBlocks(blocks: readonly SlackBlock[]): { block: SlackBlock; element: Element }[] {
  return blocks.flatMap((block) =>
    block.type === 'input' &&
    block.element !== null &&
    typeof block.element === 'object' &&
    !Array.isArray(block.element)
      ? [{ block, element: block.element as Element }]
      : [],
  );
}

/** Full state of a view's inputs: what the person entered, else the initial values. */
export function completeState(blocks: readonly SlackBlock[], entered: ViewStateValues): ViewStateValues {
  const values: ViewStateValues = {};
  for (const [blockId, byAction] of Object.entries(entered)) values[blockId] = { ...byAction };
  for (const { block, element } of inputBlocks(blocks)) {
    const byAction = values[block.block_id] ?? {};
    if (byAction[element.action_id] === undefined) byAction[element.action_id] = initialStateValue(element);
    values[block.block_id] = byAction;
  }
  return values;
}

/** The checks the Slack client makes before it sends a submission; keyed by block_id. */
export function clientSideErrors(
  blocks: readonly SlackBlock[],
  values: ViewStateValues,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { block, element } of inputBlocks(blocks)) {
    const state = values[block.block_id]?.[element.action_id] ?? initialStateValue(element);
    if (isEmpty(state)) {
      if (block.optional !== true) errors[block.block_id] = 'Please complete this required field.';
      continue;
    }
    const message = elementError(element, state);
    if (message !== undefined) errors[block.block_id] = message;
  }
  return errors;
}

function elementError(element: Element, state: ViewStateValue): string | undefined {
  switch (element.type) {
    case 'plain_text_input': {
      const length = (state.value ?? '').length;
      const min = typeof element.min_length === 'number' ? element.min_length : 0;
      const max = typeof element.max_length === 'number' ? element.max_length : 3000;
      if (length < min) return `Must be at least ${min} characters.`;
      if (length > max) return `Must be at most ${max} characters.`;
      return undefined;
    }
    case 'number_input': {
      const text = state.value ?? '';
      const pattern = element.is_decimal_allowed === true ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
      if (!pattern.test(text))
        return element.is_decimal_allowed === true ? 'Enter a number.' : 'Enter a whole number.';
      const n = Number(text);
      if (typeof element.min_value === 'string' && n < Number(element.min_value))
        return `Must be at least ${element.min_value}.`;
      if (typeof element.max_value === 'string' && n > Number(element.max_value))
        return `Must be at most ${element.max_value}.`;
      return undefined;
    }
    case 'email_text_input':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(state.value ?? '')
        ? undefined
        : 'Enter a valid email address.';
    case 'url_text_input':
      return /^https?:\/\/\S+$/.test(state.value ?? '') ? undefined : 'Enter a valid URL.';
    case 'file_input': {
      const files = state.files ?? [];
      const max = typeof element.max_files === 'number' ? element.max_files : 10;
      if (files.length > max) return `Attach at most ${max} files.`;
      const allowed = Array.isArray(element.filetypes) ? (element.filetypes as string[]) : undefined;
      const wrong =
        allowed === undefined ? undefined : files.find((f) => !allowed.includes(String(f.filetype)));
      return wrong === undefined ? undefined : `File type ${String(wrong.filetype)} is not allowed.`;
    }
    default: {
      const selected =
        state.selected_options ??
        state.selected_users ??
        state.selected_conversations ??
        state.selected_channels;
      const max = element.max_selected_items;
      if (selected !== undefined && typeof max === 'number' && selected.length > max)
        return `Select at most ${max}.`;
      return undefined;
    }
  }
}

/** The `actions[0]` entry of a block_actions payload for an element and its new state. */
export function actionFor(
  found: FoundElement,
  state: ViewStateValue | undefined,
  actionTs: string,
  valueOverride?: string,
): JsonObject {
  const { block, element } = found;
  const base: JsonObject = {
    type: element.type,
    block_id: block.block_id,
    action_id: element.action_id,
    action_ts: actionTs,
  };
  if (element.type === 'button') {
    const value = valueOverride ?? (typeof element.value === 'string' ? element.value : undefined);
    return {
      ...base,
      text: element.text as JsonValue,
      ...(value === undefined ? {} : { value }),
      ...(element.style === undefined ? {} : { style: element.style }),
      ...(element.url === undefined ? {} : { url: element.url }),
    };
  }
  const extras: JsonObject = {};
  for (const key of [
    'placeholder',
    'initial_option',
    'initial_options',
    'initial_user',
    'initial_date',
    'confirm',
  ] as const) {
    if (element[key] !== undefined) extras[key] = element[key];
  }
  const { type: _type, ...selection } = state ?? initialStateValue(element);
  return { ...base, ...extras, ...(selection as JsonObject) };
}
