export * from './asset.js';
export * from './asset-search.js';
export * from './clock.js';
export * from './person.js';
export * from './result.js';
export * from './asset-request.js';
export * from './transfer.js';
export * from './asset-input.js';
