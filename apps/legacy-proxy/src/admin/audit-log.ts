import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Who changed something: an admin (the token's subject), the proxy itself (a circuit breaker), or a hand edit of the route file. */
export type Actor = { sub: string } | { system: 'breaker' } | { system: 'file' };

export interface AuditEntry {
  at: string;
  who: Actor;
  action: 'route.update' | 'kill-switch' | 'breaker' | 'route.file-edit';
  route?: string;
  before: unknown;
  after: unknown;
  reason?: string;
  /** The route file's digest after a change (fileDigest): how an instance tells a change already audited from a hand edit. */
  file?: string;
}

/** Short SHA-256 of the route file's text. */
export const fileDigest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

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
