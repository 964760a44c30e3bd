/** Every action_id, callback_id and block_id the app renders or listens for: builders and listeners share these. */
export const ActionIds = {
  findPage: 'find_page',
  homeShowMore: 'home_show_more',
  /** Kept for the held section; `homeShowMore` with a section value is the general form. */
  homeShowMoreHeld: 'home_show_more_held',

  // Employee actions
  homeRequestAsset: 'home_request_asset',
  requestCatalogItem: 'request_catalog_item',
  requestKind: 'request_kind',
  requestReason: 'request_reason',
  requestNeededBy: 'request_needed_by',
  requestReturnBy: 'request_return_by',
  cancelRequest: 'cancel_request',
  returnAsset: 'return_asset',
  reportProblem: 'report_problem',
  problemKind: 'problem_kind',
  problemNote: 'problem_note',
  startTransfer: 'start_transfer',
  transferRecipient: 'transfer_recipient',
  transferNote: 'transfer_note',
  acceptTransfer: 'accept_transfer',
  declineTransfer: 'decline_transfer',
  cancelTransfer: 'cancel_transfer',
  /** `mine_page:prev|next`: another page of `/asset mine`, replacing the message in place. */
  minePage: 'mine_page',

  // IT actions
  approveRequest: 'approve_request',
  denyRequest: 'deny_request',
  approveAsset: 'approve_asset',
  approveDueBack: 'approve_due_back',
  approveNote: 'approve_note',
  denyReason: 'deny_reason',
  confirmReturn: 'confirm_return',
  returnCondition: 'return_condition',
  returnNote: 'return_note',
  addAssetField: 'add_asset_field',
  checkoutAsset: 'checkout_asset',
  checkoutPerson: 'checkout_person',
  checkoutDueBack: 'checkout_due_back',
  checkoutNote: 'checkout_note',
  checkinAsset: 'checkin_asset',
  checkinCondition: 'checkin_condition',
  checkinNote: 'checkin_note',
  historyPage: 'history_page',
} as const;

export const CallbackIds = {
  requestModal: 'request_asset_modal',
  requestShortcut: 'request_asset_shortcut',
  reportProblemModal: 'report_problem_modal',
  transferModal: 'transfer_modal',
  approveModal: 'approve_request_modal',
  denyModal: 'deny_request_modal',
  confirmReturnModal: 'confirm_return_modal',
  addAssetModal: 'add_asset_modal',
  checkoutModal: 'checkout_modal',
  checkinModal: 'checkin_modal',
  /** A modal that only tells the person something (refusals from the App Home, where no ephemeral is possible). */
  noticeModal: 'notice_modal',
} as const;

export const BlockIds = {
  findHeader: 'find_header',
  findPager: 'find_pager',
  helpHeader: 'help_header',
  homeHeader: 'home_header',
  homeHeldHeader: 'home_held_header',
  homeHeldEmpty: 'home_held_empty',
  homeHeldPager: 'home_held_pager',
  /** Per-asset blocks are suffixed with the tag so tests and listeners can address them. */
  assetPrefix: 'asset:',
  /** Per-request blocks are suffixed with the request id. */
  requestPrefix: 'request:',
  /** Per-transfer blocks are suffixed with the transfer id. */
  transferPrefix: 'transfer:',
  requestDetails: 'request_details',
  requestActions: 'request_actions',
  requestOutcome: 'request_outcome',
  mineHeader: 'mine_header',
  mineHeldHeader: 'mine_held_header',
  mineRequestsHeader: 'mine_requests_header',
  mineTransfersHeader: 'mine_transfers_header',
  minePager: 'mine_pager',
  /** An employee notice in the IT channel (return started, problem reported, transfer done). */
  employeeNotice: 'employee_notice',
  transferOffer: 'transfer_offer',
  /** The sender's confirmation (ephemeral or modal) carrying "Cancel transfer". */
  transferOffered: 'transfer_offered',
  transferActions: 'transfer_actions',
  transferOutcome: 'transfer_outcome',

  // Modal inputs (block_id = what the field is; errors are keyed by these)
  requestItem: 'item',
  requestKind: 'kind',
  requestReason: 'reason',
  requestNeededBy: 'needed_by',
  requestReturnBy: 'return_by',
  approveAsset: 'asset',
  approveDueBack: 'due_back',
  approveNote: 'note',
  denyReason: 'reason',
  returnCondition: 'condition',
  returnNote: 'note',
  problemKind: 'problem',
  problemNote: 'note',
  transferRecipient: 'recipient',
  transferNote: 'note',
  assetTag: 'tag',
  assetSerial: 'serial',
  assetName: 'name',
  assetCategory: 'category',
  assetModel: 'model',
  assetLocation: 'location',
  checkoutAsset: 'asset',
  checkoutPerson: 'person',
  checkoutDueBack: 'due_back',
  checkoutNote: 'note',
  checkinAsset: 'asset',
  checkinCondition: 'condition',
  checkinNote: 'note',
  notice: 'notice',

  // App Home: each section has `home_<section>_header|_empty|_pager|_more` (homeSectionBlockId in blocks/home.blocks.ts);
  // IT rows are prefixed so they never clash with the same asset or request in the employee view.
  homeItHeader: 'home_it_header',
  homeActions: 'home_actions',
  homeStockList: 'home_stock_list',
  itRequestPrefix: 'it_request:',
  itReturnPrefix: 'it_return:',
  itOverduePrefix: 'it_overdue:',

  // History
  historyHeader: 'history_header',
  historyPager: 'history_pager',
  historyEntryPrefix: 'history:',
} as const;

export const SlashCommand = '/asset';
