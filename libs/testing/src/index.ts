export * from './database.js';
export * from './env.js';
export * from './http.js';
export * from './log-capture.js';
export * from './tcp-proxy.js';
export * from './eventually.js';
export * from './process.js';
export * from './backend-context.js';
