import 'reflect-metadata';
import { runApp } from '#platform';
import { createProxyApp } from './proxy-app.js';
import { DEFAULT_ROUTES_FILE, RouteFileError } from './routing/route-file.js';

runApp({
  name: 'Ficus legacy proxy',
  create: (env) =>
    createProxyApp({ env }).catch((error: unknown) => {
      // An invalid route table is the operator's to fix: say what is wrong, without a stack.
      if (!(error instanceof RouteFileError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }),
  port: (env) => env.PROXY_PORT,
  requires: { requireDatabase: false },
  describe: (env) => `(legacy ${env.LEGACY_URL}, api ${env.API_URL}, routes ${env.PROXY_ROUTES_FILE ?? DEFAULT_ROUTES_FILE})`,
});
