/** Data shapes of the fake Slack workspace, shared by the Web API, the request driver and tests. */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A Block Kit block as recorded by the fake (validated; block_id always present). */
export type SlackBlock = JsonObject & { type: string; block_id: string };

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface FakeUserProfile {
  email?: string;
  real_name: string;
  display_name: string;
  title: string;
  image_72: string;
}

export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  tz: string;
  is_bot: boolean;
  deleted: boolean;
  is_admin: boolean;
  profile: FakeUserProfile;
}

export interface NewFakeUser {
  id?: string;
  name: string;
  real_name?: string;
  email?: string;
  display_name?: string;
  title?: string;
  tz?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  deleted?: boolean;
}

export type ChannelKind = 'public' | 'private' | 'im' | 'mpim';

export interface FakeChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Member user ids; `null` means every (non-deleted) user of the workspace. */
  members: string[] | null;
  botIsMember: boolean;
  /** For IM channels: the human on the other side. */
  user?: string;
  created: number;
}

export interface NewFakeChannel {
  id?: string;
  name: string;
  isPrivate?: boolean;
  members?: string[];
  botIsMember?: boolean;
}

export type MessageSource =
  'chat.postMessage' | 'response_url' | 'command_response' | 'files.completeUploadExternal' | 'user';

export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
  created: number;
  /** Bytes received on the upload URL (or given when a user "attaches" a file). */
  content?: Buffer;
  uploaded: boolean;
  completed: boolean;
  channels: string[];
  url_private: string;
  url_private_download: string;
  permalink: string;
}

export interface FakeMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  blocks?: SlackBlock[];
  user?: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  thread_ts?: string;
  edited?: { user: string; ts: string };
  files?: { id: string; name: string; title: string }[];
  metadata?: JsonValue;
  source: MessageSource;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: SlackBlock[];
  thread_ts?: string;
  source: MessageSource;
}

export interface ViewStateValue {
  type: string;
  value?: string | null;
  selected_option?: { text: PlainText | { type: 'mrkdwn'; text: string }; value: string } | null;
  selected_options?: { text: PlainText | { type: 'mrkdwn'; text: string }; value: string }[];
  selected_user?: string | null;
  selected_users?: string[];
  selected_conversation?: string | null;
  selected_conversations?: string[];
  selected_channel?: string | null;
  selected_channels?: string[];
  selected_date?: string | null;
  selected_time?: string | null;
  selected_date_time?: number | null;
  files?: JsonObject[];
  rich_text_value?: JsonObject;
}

export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

export interface FakeView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  /** The user who sees this view. */
  user: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  title: PlainText | null;
  submit: PlainText | null;
  close: PlainText | null;
  blocks: SlackBlock[];
  clear_on_close: boolean;
  notify_on_close: boolean;
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  state: { values: ViewStateValues };
  /** Inline errors from the app's last `response_action: "errors"`, keyed by block_id. */
  errors?: Record<string, string>;
}

export interface RecordedCall {
  seq: number;
  /** Web API method, or `response_url` / `files.upload` for the fake's other endpoints. */
  method: string;
  args: JsonObject;
  status: number;
  response: JsonValue;
  /** From the fake's clock (`now`). */
  timestamp: number;
}

export interface Option {
  text: PlainText | { type: 'mrkdwn'; text: string };
  value: string;
  description?: PlainText;
}
