export * from './access-revocations.js';
export * from './auth-user.js';
export * from './auth.decorators.js';
export * from './auth.errors.js';
export * from './auth.module.js';
export * from './jwt-keys.js';
export * from './credential-fields.js';
