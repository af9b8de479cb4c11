export * from './call-context.js';
