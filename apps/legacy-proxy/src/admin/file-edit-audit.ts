import type { Logger } from 'pino';
import type { RouteTable } from '../routing/route-table.js';
import type { GateVerdict } from '../shadow/shadow-stats.js';
import { type AuditEntry, type AuditLog, fileDigest } from './audit-log.js';
import { PROMOTED_MODES } from './route-editor.js';

/** How far back an instance looks for the entry of a change another instance already audited. */
const RECENT_ENTRIES = 50;

/**
 * The audit of a route file that changed outside the admin API (by hand, a deploy, a config-map
 * update): one `route.file-edit` entry per route added, removed or changed, and the kill switch,
 * `who: { system: 'file' }`. A change whose file digest the newest entry naming a file state carries
 * was made through the admin API (of this or another instance sharing the file) and is not audited
 * again.
 * Hand edits pass no promotion gate: a route taken out of shadow while the gate is shut is still
 * put in force (the file is the operator's last word) and its entry and a warning say so.
 */
export function auditFileEdits(audit: AuditLog, gate: (route: string) => GateVerdict, logger: Logger) {
  return async (before: RouteTable, after: RouteTable, text: string): Promise<void> => {
    const file = fileDigest(text);
    // The newest entry that names a file state: the change that made it, if it was audited already.
    const newest = (await audit.latest(RECENT_ENTRIES)).find((entry) => entry.file !== undefined);
    if (newest?.file === file) return;
    const entries: Omit<AuditEntry, 'at'>[] = [];
    if (before.killSwitch !== after.killSwitch) {
      entries.push({ who: { system: 'file' }, action: 'kill-switch', before: { killSwitch: before.killSwitch }, after: { killSwitch: after.killSwitch }, file });
    }
    for (const name of new Set([...before.routes, ...after.routes].map((route) => route.name))) {
      const was = before.routes.find((route) => route.name === name) ?? null;
      const is = after.routes.find((route) => route.name === name) ?? null;
      if (JSON.stringify(was) === JSON.stringify(is)) continue;
      const reason = was?.mode === 'shadow' && is && PROMOTED_MODES.has(is.mode) ? ungated(gate(name)) : undefined;
      if (reason) logger.warn({ route: name, mode: is!.mode }, `route ${name} left shadow by a hand edit: ${reason}`);
      entries.push({ who: { system: 'file' }, action: 'route.file-edit', route: name, before: was, after: is, file, ...(reason ? { reason } : {}) });
    }
    for (const entry of entries) await audit.append(entry);
  };
}

function ungated(verdict: GateVerdict): string | undefined {
  return verdict.open ? undefined : `out of shadow by a hand edit while the promotion gate is shut (${verdict.reason})`;
}

