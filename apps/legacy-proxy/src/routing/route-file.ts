import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { RouteTable } from './route-table.js';
import { validateRoutes } from './route-validation.js';

export const DEFAULT_ROUTES_FILE = 'apps/legacy-proxy/routes.yaml';

export class RouteFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Route file ${file} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RouteFileError';
  }
}

/** Parses and validates the text of a route file; throws RouteFileError naming every bad entry. */
export function parseRouteFile(file: string, text: string): RouteTable {
  let document: unknown;
  try {
    document = parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new RouteFileError(file, [`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const result = validateRoutes(document);
  if ('problems' in result) throw new RouteFileError(file, result.problems);
  return new RouteTable(result.routes, result.killSwitch);
}

export function readRouteFileSync(file: string): { table: RouteTable; text: string } {
  if (!existsSync(file)) throw new RouteFileError(file, ['the file does not exist (PROXY_ROUTES_FILE)']);
  const text = readFileSync(file, 'utf8');
  return { table: parseRouteFile(file, text), text };
}

export async function readRouteFile(file: string): Promise<{ table: RouteTable; text: string }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new RouteFileError(file, [`cannot be read (${error.code ?? error.message})`]);
  });
  return { table: parseRouteFile(file, text), text };
}
