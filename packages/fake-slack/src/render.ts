/** Pure renderers: the fake's records in the JSON shapes Slack's API and payloads use. */
import type { WorkspaceIdentity } from './workspace.js';
import type { FakeChannel, FakeFile, FakeMessage, FakeUser, FakeView, JsonObject } from './types.js';

const DEFAULT_HOME_TITLE = { type: 'plain_text', text: 'View Title', emoji: true } as const;

export function viewJson(view: FakeView): JsonObject {
  return {
    id: view.id,
    team_id: view.team_id,
    type: view.type,
    blocks: view.blocks,
    private_metadata: view.private_metadata,
    callback_id: view.callback_id,
    state: view.state as unknown as JsonObject,
    hash: view.hash,
    title: view.type === 'home' ? { ...DEFAULT_HOME_TITLE } : (view.title as unknown as JsonObject),
    clear_on_close: view.clear_on_close,
    notify_on_close: view.notify_on_close,
    close: view.close as unknown as JsonObject | null,
    submit: view.submit as unknown as JsonObject | null,
    previous_view_id: view.previous_view_id,
    root_view_id: view.root_view_id,
    app_id: view.app_id,
    external_id: view.external_id,
    app_installed_team_id: view.team_id,
    bot_id: view.bot_id,
  };
}

export function userJson(user: FakeUser, includeEmail: boolean): JsonObject {
  const { email, ...profile } = user.profile;
  return {
    id: user.id,
    team_id: user.team_id,
    name: user.name,
    deleted: user.deleted,
    real_name: user.real_name,
    tz: user.tz,
    is_admin: user.is_admin,
    is_owner: false,
    is_bot: user.is_bot,
    is_app_user: false,
    profile: {
      ...profile,
      real_name_normalized: user.profile.real_name,
      display_name_normalized: user.profile.display_name,
      ...(includeEmail && email !== undefined ? { email } : {}),
      team: user.team_id,
    },
  };
}

export function messageJson(message: FakeMessage): JsonObject {
  const { source: _source, channel: _channel, ...rest } = message;
  return rest as unknown as JsonObject;
}

export function channelJson(channel: FakeChannel, identity: WorkspaceIdentity): JsonObject {
  const base: JsonObject = {
    id: channel.id,
    created: channel.created,
    is_archived: false,
    is_org_shared: false,
    context_team_id: identity.teamId,
  };
  if (channel.kind === 'im') {
    return { ...base, is_im: true, user: channel.user ?? '', is_user_deleted: false };
  }
  return {
    ...base,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: channel.kind === 'public',
    is_group: channel.kind === 'private',
    is_im: false,
    is_mpim: channel.kind === 'mpim',
    is_private: channel.kind !== 'public',
    is_general: channel.name === 'general',
    is_member: channel.botIsMember,
    is_shared: false,
    is_ext_shared: false,
  };
}

/** A file as `files.completeUploadExternal` answers it and as `file_input` submissions carry it. */
export function fileJson(file: FakeFile, teamId: string): JsonObject {
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.user,
    user_team: teamId,
    size: file.size,
    is_external: false,
    is_public: false,
    url_private: file.url_private,
    url_private_download: file.url_private_download,
    permalink: file.permalink,
    channels: file.channels,
  };
}
