import type { App } from '@slack/bolt';
import type { SlackDeps } from './deps.js';
import { registerApproveAssetOptions } from './actions/approve-asset-options.action.js';
import { registerApproveRequestAction } from './actions/approve-request.action.js';
import { registerCheckinAssetOptions } from './actions/checkin-asset-options.action.js';
import { registerCheckoutAssetOptions } from './actions/checkout-asset-options.action.js';
import { registerConfirmReturnAction } from './actions/confirm-return.action.js';
import { registerDenyRequestAction } from './actions/deny-request.action.js';
import { registerHistoryPageAction } from './actions/history-page.action.js';
import { registerAddAssetView } from './views/add-asset.view.js';
import { registerApproveRequestView } from './views/approve-request.view.js';
import { registerCheckinView } from './views/checkin.view.js';
import { registerCheckoutView } from './views/checkout.view.js';
import { registerConfirmReturnView } from './views/confirm-return.view.js';
import { registerDenyRequestView } from './views/deny-request.view.js';

/** Registers the actions and views of the IT flows (approve, deny, confirm return, ...). */
export function registerItFlows(app: App, deps: SlackDeps): void {
  registerApproveRequestAction(app, deps);
  registerApproveAssetOptions(app, deps);
  registerApproveRequestView(app, deps);
  registerDenyRequestAction(app, deps);
  registerDenyRequestView(app, deps);
  registerConfirmReturnAction(app, deps);
  registerConfirmReturnView(app, deps);
  registerAddAssetView(app, deps);
  registerCheckoutAssetOptions(app, deps);
  registerCheckoutView(app, deps);
  registerCheckinAssetOptions(app, deps);
  registerCheckinView(app, deps);
  registerHistoryPageAction(app, deps);
}
