export * from './pricing.api.js';
