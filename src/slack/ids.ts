/** Every action_id, callback_id and block_id the app renders or listens for: builders and listeners share these. */
export const ActionIds = {
  findPage: 'find_page',
  homeRequestAsset: 'home_request_asset',
  homeShowMoreHeld: 'home_show_more_held',
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
} as const;

export const SlashCommand = '/asset';
