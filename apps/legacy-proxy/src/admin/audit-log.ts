import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Who changed something: an admin (the token's subject) or the proxy itself (a circuit breaker). */
export type Actor = { sub: string } | { system: 'breaker' };

export interface AuditEntry {
  at: string;
  who: Actor;
  action: 'route.update' | 'kill-switch' | 'breaker';
  route?: string;
  before: unknown;
  after: unknown;
  reason?: string;
}

/**
 * Every change of routing, one JSON line each, appended to a file that outlives the process (next
 * to the route file unless PROXY_AUDIT_LOG_FILE says otherwise). Appends are serialised, so lines
 * never interleave.
 */
export class AuditLog {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  append(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const line = `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`;
    const run = this.writing.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, line, { encoding: 'utf8', flag: 'a' });
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** The latest entries, newest first. */
  async latest(limit: number): Promise<AuditEntry[]> {
    await this.writing;
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    return lines
      .slice(-limit)
      .reverse()
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as AuditEntry];
        } catch {
          return []; // a line cut short by a crash
        }
      });
  }
}
