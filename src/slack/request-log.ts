/** Pure: the Slack ids worth one log line per incoming request. */
export interface RequestIds {
  kind: string;
  teamId: string | undefined;
  userId: string | undefined;
  channelId: string | undefined;
  command: string | undefined;
  actionId: string | undefined;
  callbackId: string | undefined;
  eventType: string | undefined;
}

type Loose = Record<string, unknown> | undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

export function requestIds(body: unknown): RequestIds {
  const b = obj(body) ?? {};
  const event = obj(b['event']);
  const actions = Array.isArray(b['actions']) ? b['actions'] : [];
  const view = obj(b['view']);
  return {
    kind: str(b['type']) ?? (b['command'] ? 'slash_command' : 'unknown'),
    teamId: str(b['team_id']) ?? str(obj(b['team'])?.['id']) ?? str(obj(b['user'])?.['team_id']),
    userId: str(b['user_id']) ?? str(obj(b['user'])?.['id']) ?? str(event?.['user']),
    channelId: str(b['channel_id']) ?? str(obj(b['channel'])?.['id']) ?? str(event?.['channel']),
    command: str(b['command']),
    actionId: str(obj(actions[0])?.['action_id']) ?? str(b['action_id']),
    callbackId: str(view?.['callback_id']) ?? str(b['callback_id']),
    eventType: str(event?.['type']),
  };
}
