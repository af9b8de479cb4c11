export * from './payments.api.js';
export * from './payments.events.js';
