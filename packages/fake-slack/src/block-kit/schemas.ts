/**
 * Pure Block Kit schemas with Slack's limits, for the blocks and elements the product uses.
 * Objects are strict because Slack refuses unknown properties ("invalid additional property");
 * field lists follow @slack/types 3.2 and the limits follow Slack's reference (see SLACK.md).
 */
import { z } from 'zod';

const text = (max: number) => z.string().min(1).max(max);

export const plainText = (max: number) =>
  z.strictObject({ type: z.literal('plain_text'), text: text(max), emoji: z.boolean().optional() });

const mrkdwn = (max: number) =>
  z.strictObject({ type: z.literal('mrkdwn'), text: text(max), verbatim: z.boolean().optional() });

const textObject = (max: number) => z.discriminatedUnion('type', [plainText(max), mrkdwn(max)]);

const actionId = z.string().min(1).max(255);
const blockId = z.string().min(1).max(255);
const url = z.string().min(1).max(3000);
const style = z.enum(['primary', 'danger']);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in YYYY-MM-DD format');
const time = z.string().regex(/^\d{2}:\d{2}$/, 'must be a time in HH:mm format');

const confirm = z.strictObject({
  title: plainText(100).optional(),
  text: textObject(300),
  confirm: plainText(30).optional(),
  deny: plainText(30).optional(),
  style: style.optional(),
});

/** Options of selects and overflow menus: plain text only. */
export const plainTextOption = z.strictObject({
  text: plainText(75),
  value: z.string().min(1).max(150),
  description: plainText(75).optional(),
  url: url.optional(),
});

/** Options of checkboxes and radio buttons may use mrkdwn. */
const choiceOption = z.strictObject({
  text: textObject(75),
  value: z.string().min(1).max(150),
  description: textObject(75).optional(),
});

export const optionGroup = z.strictObject({
  label: plainText(75),
  options: z.array(plainTextOption).min(1).max(100),
});

const dispatchActionConfig = z.strictObject({
  trigger_actions_on: z
    .array(z.enum(['on_enter_pressed', 'on_character_entered']))
    .min(1)
    .optional(),
});

const slackFile = z.union([z.strictObject({ url }), z.strictObject({ id: z.string().min(1) })]);

const common = { action_id: actionId.optional() };
const placeholder = { placeholder: plainText(150).optional() };
const focus = { focus_on_load: z.boolean().optional() };

const button = z.strictObject({
  type: z.literal('button'),
  ...common,
  text: plainText(75),
  value: z.string().max(2000).optional(),
  url: url.optional(),
  style: style.optional(),
  confirm: confirm.optional(),
  accessibility_label: z.string().min(1).max(75).optional(),
});

const staticSelect = z.strictObject({
  type: z.literal('static_select'),
  ...common,
  ...placeholder,
  ...focus,
  options: z.array(plainTextOption).min(1).max(100).optional(),
  option_groups: z.array(optionGroup).min(1).max(100).optional(),
  initial_option: plainTextOption.optional(),
  confirm: confirm.optional(),
});

const multiStaticSelect = z.strictObject({
  type: z.literal('multi_static_select'),
  ...common,
  ...placeholder,
  ...focus,
  options: z.array(plainTextOption).min(1).max(100).optional(),
  option_groups: z.array(optionGroup).min(1).max(100).optional(),
  initial_options: z.array(plainTextOption).optional(),
  max_selected_items: z.number().int().min(1).optional(),
  confirm: confirm.optional(),
});

const externalSelect = z.strictObject({
  type: z.literal('external_select'),
  ...common,
  ...placeholder,
  ...focus,
  initial_option: plainTextOption.optional(),
  min_query_length: z.number().int().min(0).optional(),
  confirm: confirm.optional(),
});

const multiExternalSelect = z.strictObject({
  type: z.literal('multi_external_select'),
  ...common,
  ...placeholder,
  ...focus,
  initial_options: z.array(plainTextOption).optional(),
  min_query_length: z.number().int().min(0).optional(),
  max_selected_items: z.number().int().min(1).optional(),
  confirm: confirm.optional(),
});

const usersSelect = z.strictObject({
  type: z.literal('users_select'),
  ...common,
  ...placeholder,
  ...focus,
  initial_user: z.string().min(1).optional(),
  confirm: confirm.optional(),
});

const multiUsersSelect = z.strictObject({
  type: z.literal('multi_users_select'),
  ...common,
  ...placeholder,
  ...focus,
  initial_users: z.array(z.string().min(1)).optional(),
  max_selected_items: z.number().int().min(1).optional(),
  confirm: confirm.optional(),
});

const conversationFilter = z.strictObject({
  include: z
    .array(z.enum(['im', 'mpim', 'private', 'public']))
    .min(1)
    .optional(),
  exclude_external_shared_channels: z.boolean().optional(),
  exclude_bot_users: z.boolean().optional(),
});

const conversationsSelect = z.strictObject({
  type: z.literal('conversations_select'),
  ...common,
  ...placeholder,
  ...focus,
  initial_conversation: z.string().min(1).optional(),
  default_to_current_conversation: z.boolean().optional(),
  filter: conversationFilter.optional(),
  response_url_enabled: z.boolean().optional(),
  confirm: confirm.optional(),
});

const multiConversationsSelect = z.strictObject({
  type: z.literal('multi_conversations_select'),
  ...common,
  ...placeholder,
  ...focus,
  initial_conversations: z.array(z.string().min(1)).optional(),
  default_to_current_conversation: z.boolean().optional(),
  filter: conversationFilter.optional(),
  max_selected_items: z.number().int().min(1).optional(),
  confirm: confirm.optional(),
});

const channelsSelect = z.strictObject({
  type: z.literal('channels_select'),
  ...common,
  ...placeholder,
  ...focus,
  initial_channel: z.string().min(1).optional(),
  response_url_enabled: z.boolean().optional(),
  confirm: confirm.optional(),
});

const multiChannelsSelect = z.strictObject({
  type: z.literal('multi_channels_select'),
  ...common,
  ...placeholder,
  ...focus,
  initial_channels: z.array(z.string().min(1)).optional(),
  max_selected_items: z.number().int().min(1).optional(),
  confirm: confirm.optional(),
});

const datepicker = z.strictObject({
  type: z.literal('datepicker'),
  ...common,
  ...placeholder,
  ...focus,
  initial_date: isoDate.optional(),
  confirm: confirm.optional(),
});

const timepicker = z.strictObject({
  type: z.literal('timepicker'),
  ...common,
  ...placeholder,
  ...focus,
  initial_time: time.optional(),
  timezone: z.string().min(1).optional(),
  confirm: confirm.optional(),
});

const datetimepicker = z.strictObject({
  type: z.literal('datetimepicker'),
  ...common,
  ...focus,
  initial_date_time: z.number().int().optional(),
  confirm: confirm.optional(),
});

const plainTextInput = z.strictObject({
  type: z.literal('plain_text_input'),
  ...common,
  ...placeholder,
  ...focus,
  initial_value: z.string().max(3000).optional(),
  multiline: z.boolean().optional(),
  min_length: z.number().int().min(0).max(3000).optional(),
  max_length: z.number().int().min(1).max(3000).optional(),
  dispatch_action_config: dispatchActionConfig.optional(),
});

const numericString = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number');

const numberInput = z.strictObject({
  type: z.literal('number_input'),
  ...common,
  ...placeholder,
  ...focus,
  is_decimal_allowed: z.boolean(),
  initial_value: numericString.optional(),
  min_value: numericString.optional(),
  max_value: numericString.optional(),
  dispatch_action_config: dispatchActionConfig.optional(),
});

const emailInput = z.strictObject({
  type: z.literal('email_text_input'),
  ...common,
  ...placeholder,
  ...focus,
  initial_value: z.string().optional(),
  dispatch_action_config: dispatchActionConfig.optional(),
});

const urlInput = z.strictObject({
  type: z.literal('url_text_input'),
  ...common,
  ...placeholder,
  ...focus,
  initial_value: z.string().optional(),
  dispatch_action_config: dispatchActionConfig.optional(),
});

const checkboxes = z.strictObject({
  type: z.literal('checkboxes'),
  ...common,
  ...focus,
  options: z.array(choiceOption).min(1).max(10),
  initial_options: z.array(choiceOption).optional(),
  confirm: confirm.optional(),
});

const radioButtons = z.strictObject({
  type: z.literal('radio_buttons'),
  ...common,
  ...focus,
  options: z.array(choiceOption).min(1).max(10),
  initial_option: choiceOption.optional(),
  confirm: confirm.optional(),
});

const overflow = z.strictObject({
  type: z.literal('overflow'),
  ...common,
  options: z.array(plainTextOption).min(1).max(5),
  confirm: confirm.optional(),
});

const fileInput = z.strictObject({
  type: z.literal('file_input'),
  ...common,
  filetypes: z.array(z.string().min(1)).optional(),
  max_files: z.number().int().min(1).max(10).optional(),
});

const imageElement = z.strictObject({
  type: z.literal('image'),
  alt_text: z.string().min(1).max(2000),
  image_url: url.optional(),
  slack_file: slackFile.optional(),
});

/** Rich text is validated shallowly: its inner element grammar is large and rarely produced by apps. */
const richTextChild = z.looseObject({
  type: z.enum(['rich_text_section', 'rich_text_list', 'rich_text_quote', 'rich_text_preformatted']),
  elements: z.array(z.looseObject({ type: z.string().min(1) })),
});

const richTextBlock = z.strictObject({
  type: z.literal('rich_text'),
  block_id: blockId.optional(),
  elements: z.array(richTextChild).min(1),
});

const richTextInput = z.strictObject({
  type: z.literal('rich_text_input'),
  ...common,
  ...placeholder,
  ...focus,
  initial_value: richTextBlock.optional(),
  dispatch_action_config: dispatchActionConfig.optional(),
});

const workflowButton = z.strictObject({
  type: z.literal('workflow_button'),
  ...common,
  text: plainText(75),
  workflow: z.looseObject({ trigger: z.looseObject({ url }) }),
  style: style.optional(),
  accessibility_label: z.string().min(1).max(75).optional(),
});

const selects = [
  staticSelect,
  externalSelect,
  usersSelect,
  conversationsSelect,
  channelsSelect,
  multiStaticSelect,
  multiExternalSelect,
  multiUsersSelect,
  multiConversationsSelect,
  multiChannelsSelect,
] as const;

export const actionsElement = z.discriminatedUnion('type', [
  button,
  ...selects,
  overflow,
  datepicker,
  timepicker,
  datetimepicker,
  checkboxes,
  radioButtons,
  workflowButton,
  richTextInput,
]);

export const sectionAccessory = z.discriminatedUnion('type', [
  button,
  ...selects,
  overflow,
  datepicker,
  timepicker,
  checkboxes,
  radioButtons,
  imageElement,
  workflowButton,
]);

export const inputElement = z.discriminatedUnion('type', [
  plainTextInput,
  numberInput,
  emailInput,
  urlInput,
  ...selects,
  datepicker,
  timepicker,
  datetimepicker,
  checkboxes,
  radioButtons,
  fileInput,
  richTextInput,
]);

const contextElement = z.discriminatedUnion('type', [plainText(3000), mrkdwn(3000), imageElement]);

const section = z.strictObject({
  type: z.literal('section'),
  block_id: blockId.optional(),
  text: textObject(3000).optional(),
  fields: z.array(textObject(2000)).min(1).max(10).optional(),
  accessory: sectionAccessory.optional(),
  expand: z.boolean().optional(),
});

const header = z.strictObject({
  type: z.literal('header'),
  block_id: blockId.optional(),
  text: plainText(150),
});

const divider = z.strictObject({ type: z.literal('divider'), block_id: blockId.optional() });

const context = z.strictObject({
  type: z.literal('context'),
  block_id: blockId.optional(),
  elements: z.array(contextElement).min(1).max(10),
});

const actions = z.strictObject({
  type: z.literal('actions'),
  block_id: blockId.optional(),
  elements: z.array(actionsElement).min(1).max(25),
});

const input = z.strictObject({
  type: z.literal('input'),
  block_id: blockId.optional(),
  label: plainText(2000),
  element: inputElement,
  hint: plainText(2000).optional(),
  optional: z.boolean().optional(),
  dispatch_action: z.boolean().optional(),
});

const image = z.strictObject({
  type: z.literal('image'),
  block_id: blockId.optional(),
  alt_text: z.string().min(1).max(2000),
  image_url: url.optional(),
  slack_file: slackFile.optional(),
  title: plainText(2000).optional(),
});

const markdown = z.strictObject({
  type: z.literal('markdown'),
  block_id: blockId.optional(),
  text: z.string().min(1).max(12000),
});

export const block = z.discriminatedUnion('type', [
  section,
  header,
  divider,
  context,
  actions,
  input,
  image,
  richTextBlock,
  markdown,
]);

export const messageBlocks = z.array(block).max(50);
export const viewBlocks = z.array(block).max(100);

export const modalView = z.strictObject({
  type: z.literal('modal'),
  title: plainText(24),
  blocks: viewBlocks,
  close: plainText(24).optional(),
  submit: plainText(24).optional(),
  private_metadata: z.string().max(3000).optional(),
  callback_id: z.string().max(255).optional(),
  clear_on_close: z.boolean().optional(),
  notify_on_close: z.boolean().optional(),
  external_id: z.string().max(255).optional(),
  submit_disabled: z.boolean().optional(),
});

export const homeView = z.strictObject({
  type: z.literal('home'),
  blocks: viewBlocks,
  private_metadata: z.string().max(3000).optional(),
  callback_id: z.string().max(255).optional(),
  external_id: z.string().max(255).optional(),
});

export const anyView = z.discriminatedUnion('type', [modalView, homeView]);

/** What an app may answer to a `block_suggestion` request. */
export const suggestionResponse = z.union([
  z.strictObject({ options: z.array(plainTextOption).max(100) }),
  z.strictObject({ option_groups: z.array(optionGroup).max(100) }),
]);
