export * from './orders.api.js';
export * from './orders.events.js';
