import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';

export function registerAppHomeOpened(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    try {
      await deps.homes.publish(teamId, event.user);
    } catch (err) {
      // Events have no reply channel: the log is the only place this can go.
      deps.logger.error({ err, teamId, userId: event.user }, 'could not publish the App Home');
    }
  });
}
