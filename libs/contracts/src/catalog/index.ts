export * from './catalog.api.js';
export * from './catalog.events.js';
