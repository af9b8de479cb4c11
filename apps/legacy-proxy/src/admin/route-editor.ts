import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { parseRouteFile, RouteFileError } from '../routing/route-file.js';
import type { RouteDefinition, RouteMode, RouteTable } from '../routing/route-table.js';
import type { RouteTableHolder } from '../routing/route-table.holder.js';
import type { GateVerdict } from '../shadow/shadow-stats.js';
import { InvalidRouteChangeError, PromotionRefusedError, RouteFileInvalidError, RouteFileNotWritableError, RouteNotFoundError } from './admin.errors.js';
import { type Actor, type AuditLog, fileDigest } from './audit-log.js';

/** What an admin may change on a route; matching (name, methods, path, query) stays the file's. */
export const CHANGEABLE_FIELDS = ['mode', 'percent', 'group', 'rewrite', 'timeoutMs', 'shadow', 'breaker'] as const;

/** Modes that put a route (some of) its traffic on the API: out of shadow only through the gate. */
export const PROMOTED_MODES: ReadonlySet<RouteMode> = new Set(['canary', 'api', 'api-with-fallback']);

/**
 * Changes the route file on behalf of an admin: the change is made on the YAML document (comments
 * and layout kept), validated exactly as a hand edit would be, written atomically (temporary file,
 * then rename), put in force at once, and audited. Nothing is written when anything fails.
 */
export class RouteEditor {
  constructor(
    private readonly holder: RouteTableHolder,
    private readonly audit: AuditLog,
    private readonly gate: (route: string) => GateVerdict,
  ) {}

  /** `patch`: fields to set; `null` removes one. */
  update(name: string, patch: Record<string, unknown>, who: Actor): Promise<{ before: RouteDefinition; after: RouteDefinition }> {
    checkPatch(patch);
    return this.holder.serialised(async () => {
      const { document, table } = await this.load();
      const entry = findRoute(document.get('routes'), name);
      const before = table.routes.find((route) => route.name === name);
      if (!entry || !before) throw new RouteNotFoundError(name);
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) entry.delete(key);
        else entry.set(key, document.createNode(value));
      }
      // Leaving canary: its share and group go with it, unless the admin says otherwise.
      if (patch.mode !== undefined && patch.mode !== 'canary') for (const key of ['percent', 'group']) if (!(key in patch)) entry.delete(key);
      const next = this.validate(document.toString(), name);
      const after = next.routes.find((route) => route.name === name)!;
      if (before.mode === 'shadow' && PROMOTED_MODES.has(after.mode)) {
        const verdict = this.gate(name);
        if (!verdict.open) throw new PromotionRefusedError(`Route "${name}" stays in shadow: ${verdict.reason}`);
      }
      const text = document.toString();
      await this.write(next, text);
      await this.audit.append({ who, action: 'route.update', route: name, before, after, file: fileDigest(text) });
      return { before, after };
    });
  }

  /** On: every route goes to legacy (kept in the file, so a restart keeps it); off: back to each route's mode. */
  setKillSwitch(engaged: boolean, who: Actor): Promise<{ killSwitch: boolean; changed: boolean }> {
    return this.holder.serialised(async () => {
      const { document, table } = await this.load();
      if (table.killSwitch === engaged) return { killSwitch: engaged, changed: false };
      if (engaged) document.set('killSwitch', true);
      else document.delete('killSwitch');
      const text = document.toString();
      await this.write(this.validate(text), text);
      await this.audit.append({ who, action: 'kill-switch', before: { killSwitch: table.killSwitch }, after: { killSwitch: engaged }, file: fileDigest(text) });
      return { killSwitch: engaged, changed: true };
    });
  }

  private async load() {
    const text = await readFile(this.holder.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new RouteFileInvalidError([`${this.holder.file} cannot be read (${error.code ?? error.message}); set PROXY_ROUTES_FILE`]);
    });
    let table: RouteTable;
    try {
      table = parseRouteFile(this.holder.file, text);
    } catch (error) {
      if (error instanceof RouteFileError) throw new RouteFileInvalidError(error.problems);
      throw error;
    }
    return { document: parseDocument(text, { uniqueKeys: true }), table };
  }

  private validate(text: string, route?: string): RouteTable {
    try {
      return parseRouteFile(this.holder.file, text);
    } catch (error) {
      if (!(error instanceof RouteFileError)) throw error;
      const errors = error.problems.map(fieldError);
      const about = route === undefined ? 'The change' : `The change to route "${route}"`;
      throw new InvalidRouteChangeError(`${about} is invalid, nothing was changed: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
    }
  }

  private async write(table: RouteTable, text: string): Promise<void> {
    const file = this.holder.file;
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, text, { encoding: 'utf8', flush: true });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new RouteFileNotWritableError(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
    }
    this.holder.replace(table, text);
  }
}

function checkPatch(patch: Record<string, unknown>): void {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch) || Object.keys(patch).length === 0) {
    throw new InvalidRouteChangeError(`The body must be a JSON object with some of ${CHANGEABLE_FIELDS.join(', ')}`, [{ field: 'body', message: 'an object with at least one field' }]);
  }
  const unknown = Object.keys(patch).filter((key) => !(CHANGEABLE_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new InvalidRouteChangeError(
      `${unknown.map((key) => `"${key}"`).join(', ')} cannot be changed here (changeable: ${CHANGEABLE_FIELDS.join(', ')}); nothing was changed`,
      unknown.map((field) => ({ field, message: 'cannot be changed through the admin API' })),
    );
  }
  if (patch.mode === null) throw new InvalidRouteChangeError('mode cannot be removed; nothing was changed', [{ field: 'mode', message: 'required' }]);
}

function findRoute(routes: unknown, name: string): YAMLMap | undefined {
  if (!isSeq(routes)) return undefined;
  return routes.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === name);
}

/** `routes[2] "cart": percent: needs…` → { field: 'percent', message: 'needs…' }. */
function fieldError(problem: string): { field: string; message: string } {
  const match = /^(?:routes\[\d+\](?: "[^"]*")?: )?([\w.]+): (.*)$/s.exec(problem);
  return match ? { field: match[1]!, message: match[2]! } : { field: 'file', message: problem };
}
