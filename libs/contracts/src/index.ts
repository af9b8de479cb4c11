export * from './call-context.js';
export * from './catalog/index.js';
export * from './customers/index.js';
export * from './identity/index.js';
export * from './payments/index.js';
export * from './inventory/index.js';
export * from './search/index.js';
