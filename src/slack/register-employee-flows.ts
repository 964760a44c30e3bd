import type { App } from '@slack/bolt';
import type { SlackDeps } from './deps.js';
import { registerAcceptTransferAction } from './actions/accept-transfer.action.js';
import { registerCancelRequestAction } from './actions/cancel-request.action.js';
import { registerCancelTransferAction } from './actions/cancel-transfer.action.js';
import { registerDeclineTransferAction } from './actions/decline-transfer.action.js';
import { registerHomeRequestAssetAction } from './actions/home-request-asset.action.js';
import { registerMinePageAction } from './actions/mine-page.action.js';
import { registerReportProblemAction } from './actions/report-problem.action.js';
import { registerRequestCatalogOptions } from './actions/request-catalog-options.action.js';
import { registerReturnAssetAction } from './actions/return-asset.action.js';
import { registerStartTransferAction } from './actions/start-transfer.action.js';
import { registerRequestAssetShortcut } from './shortcuts/request-asset.shortcut.js';
import { registerReportProblemView } from './views/report-problem.view.js';
import { registerRequestAssetView } from './views/request-asset.view.js';
import { registerTransferView } from './views/transfer.view.js';

/** Registers the actions, views and shortcuts of the employee flows. */
export function registerEmployeeFlows(app: App, deps: SlackDeps): void {
  registerRequestAssetShortcut(app, deps);
  registerHomeRequestAssetAction(app, deps);
  registerRequestCatalogOptions(app, deps);
  registerRequestAssetView(app, deps);
  registerCancelRequestAction(app, deps);
  registerMinePageAction(app, deps);
  registerReturnAssetAction(app, deps);
  registerReportProblemAction(app, deps);
  registerReportProblemView(app, deps);
  registerStartTransferAction(app, deps);
  registerTransferView(app, deps);
  registerAcceptTransferAction(app, deps);
  registerDeclineTransferAction(app, deps);
  registerCancelTransferAction(app, deps);
}
