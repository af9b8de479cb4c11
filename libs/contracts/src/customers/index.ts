export * from './address.js';
export * from './customers.api.js';
