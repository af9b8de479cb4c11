export * from './inventory.api.js';
export * from './inventory.events.js';
