import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AuditLog, fileDigest } from '../src/admin/audit-log.js';
import { auditFileEdits } from '../src/admin/file-edit-audit.js';
import { parseRouteFile } from '../src/routing/route-file.js';
import type { GateVerdict } from '../src/shadow/shadow-stats.js';

const file = (mode: string, killSwitch = false) => `${killSwitch ? 'killSwitch: true\n' : ''}routes:
  - name: products
    methods: GET
    path: /products
    mode: ${mode}
    rewrite: /api/v1/products
  - name: cart
    methods: GET
    path: /cart
    mode: legacy
`;
const table = (text: string) => parseRouteFile('routes.yaml', text);

describe('auditFileEdits (a real audit log file)', () => {
  const shut = (): GateVerdict => ({ open: false, reason: '2 of 200 comparisons' });
  const logger = pino({ level: 'silent' });
  const fresh = () => new AuditLog(join(mkdtempSync(join(tmpdir(), 'ficus-audit-')), 'audit.log'));

  it('writes one entry per changed route and for the kill switch, by the file, with the digest', async () => {
    const audit = fresh();
    await auditFileEdits(audit, shut, logger)(table(file('legacy')), table(file('api', true)), file('api', true));
    const entries = (await audit.latest(10)).reverse();
    expect(entries.map((e) => [e.action, e.route ?? null, e.who])).toEqual([
      ['kill-switch', null, { system: 'file' }],
      ['route.file-edit', 'products', { system: 'file' }],
    ]);
    expect(entries[1]).toMatchObject({ before: { mode: 'legacy' }, after: { mode: 'api' }, file: fileDigest(file('api', true)) });
    expect(entries[1]!.reason).toBeUndefined();
  });

  it('says when a hand edit took a route out of shadow while the promotion gate was shut', async () => {
    const audit = fresh();
    await auditFileEdits(audit, shut, logger)(table(file('shadow')), table(file('api')), file('api'));
    expect((await audit.latest(1))[0]).toMatchObject({ route: 'products', reason: expect.stringContaining('2 of 200 comparisons') });
    const open = fresh();
    await auditFileEdits(open, (): GateVerdict => ({ open: true, matchRate: 1 }), logger)(table(file('shadow')), table(file('api')), file('api'));
    expect((await open.latest(1))[0]!.reason).toBeUndefined();
  });

  it('does not audit again a change an admin made through the API (the file digest is in a recent entry)', async () => {
    const audit = fresh();
    await audit.append({ who: { sub: 'admin' }, action: 'route.update', route: 'products', before: { mode: 'legacy' }, after: { mode: 'api' }, file: fileDigest(file('api')) });
    await auditFileEdits(audit, shut, logger)(table(file('legacy')), table(file('api')), file('api'));
    expect((await audit.latest(10)).map((e) => e.action)).toEqual(['route.update']);
    // Put back by hand to a state audited long ago: a new change, audited.
    await auditFileEdits(audit, shut, logger)(table(file('api')), table(file('legacy')), file('legacy'));
    await auditFileEdits(audit, shut, logger)(table(file('legacy')), table(file('api')), file('api'));
    expect((await audit.latest(10)).map((e) => e.action)).toEqual(['route.file-edit', 'route.file-edit', 'route.update']);
  });
});
