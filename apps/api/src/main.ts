import 'reflect-metadata';
import { runApp } from '#platform';
import { createApiApp } from './api-app.js';

runApp({
  name: 'Ficus API',
  create: (env) => createApiApp({ env }),
  port: (env) => env.PORT,
  requires: { requireDatabase: true, requireSigningKey: true },
  describe: () => '(docs at /docs)',
});
