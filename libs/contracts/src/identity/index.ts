export * from './identity.api.js';
export * from './identity.events.js';
