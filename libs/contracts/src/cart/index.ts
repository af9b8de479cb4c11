export * from './cart.api.js';
