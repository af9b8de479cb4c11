import 'reflect-metadata';
import { runApp } from '#platform';
import { createProxyApp } from './proxy-app.js';

runApp({
  name: 'Ficus legacy proxy',
  create: (env) => createProxyApp({ env }),
  port: (env) => env.PROXY_PORT,
  requires: { requireDatabase: false },
  describe: (env) => `(legacy ${env.LEGACY_URL}, api ${env.API_URL})`,
});
