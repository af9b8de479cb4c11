import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase, testEnv } from '#testing';
import { AppModule } from '../../app.module.js';
import { CredentialsPurgeProcessor, KEEP_AFTER_EXPIRY_MS } from './jobs/credentials-purge.processor.js';
import { type NewRefreshToken, SessionsRepository } from './sessions.repository.js';
import { secretHash } from './token-secrets.js';

describe('SessionsRepository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let sessions: SessionsRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register({ env: testEnv({ DATABASE_URL: db.url }) })] }).compile();
    moduleRef.useLogger(false);
    app = await moduleRef.init();
    sessions = app.get(SessionsRepository);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const token = (familyId: string, secret: string, expiresAt = new Date(Date.now() + 60_000)): NewRefreshToken => ({
    id: randomUUID(),
    familyId,
    accountId: '6f1c0a5e-7a9b-4c1e-9d2f-0b7e3c5a1d20',
    tokenHash: secretHash(secret),
    expiresAt,
  });

  it('lets exactly one of ten concurrent rotations of a token win; the next is reuse and revokes the family', async () => {
    const familyId = randomUUID();
    await sessions.insert(token(familyId, 'first'));
    const successors: string[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sessions.rotate(secretHash('first'), (current) => {
          successors.push(`next-${i}`);
          return token(current.familyId, `next-${i}`);
        }),
      ),
    );
    expect(outcomes.filter((o) => o.outcome === 'rotated')).toHaveLength(1);
    // The first loser sees a used token (reuse: the family is revoked); later ones a revoked token.
    expect(outcomes.filter((o) => o.outcome === 'reused').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((o) => o.outcome !== 'rotated')).toHaveLength(9);
    expect(successors).toHaveLength(1);
    // The winner's successor was revoked with the family by the reuse.
    expect((await sessions.rotate(secretHash(successors[0]!), (c) => token(c.familyId, 'later'))).outcome).toBe('refused');
    const rows = await db.query('SELECT count(*)::int AS live FROM identity.refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL', [familyId]);
    expect(rows.rows[0].live).toBe(0);
  });

  it('refuses an expired token without revoking its family, and an unknown one', async () => {
    const familyId = randomUUID();
    await sessions.insert(token(familyId, 'old', new Date(Date.now() - 1000)));
    await sessions.insert(token(familyId, 'sibling'));
    expect((await sessions.rotate(secretHash('old'), (c) => token(c.familyId, 'x'))).outcome).toBe('refused');
    expect((await sessions.rotate(secretHash('never issued'), (c) => token(c.familyId, 'y'))).outcome).toBe('refused');
    expect((await sessions.rotate(secretHash('sibling'), (c) => token(c.familyId, 'z'))).outcome).toBe('rotated');
  });

  it('stores only the SHA-256 of a token', async () => {
    await sessions.insert(token(randomUUID(), 'plain secret value'));
    const { rows } = await db.query('SELECT count(*)::int AS n FROM identity.refresh_tokens WHERE token_hash = $1', ['plain secret value']);
    expect(rows[0].n).toBe(0);
  });

  it('purges refresh and password-reset tokens a week past expiry, and only those', async () => {
    const day = 24 * 60 * 60 * 1000;
    const familyId = randomUUID();
    const longGone = token(familyId, 'purge-long-gone', new Date(Date.now() - KEEP_AFTER_EXPIRY_MS - day));
    const recentlyExpired = token(familyId, 'purge-recent', new Date(Date.now() - day));
    const live = token(familyId, 'purge-live');
    for (const t of [longGone, recentlyExpired, live]) await sessions.insert(t);
    const reset = (id: string, expiresAt: Date) =>
      db.query('INSERT INTO identity.password_resets (id, account_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)', [id, live.accountId, secretHash(id), expiresAt]);
    const [oldReset, newReset] = [randomUUID(), randomUUID()];
    await reset(oldReset, new Date(Date.now() - KEEP_AFTER_EXPIRY_MS - day));
    await reset(newReset, new Date(Date.now() + day));

    expect(await app.get(CredentialsPurgeProcessor).purge()).toBe(2);
    const left = await db.query('SELECT id FROM identity.refresh_tokens WHERE family_id = $1 ORDER BY expires_at', [familyId]);
    expect(left.rows.map((r) => r.id)).toEqual([recentlyExpired.id, live.id]);
    const resets = await db.query('SELECT id FROM identity.password_resets WHERE id = ANY($1::uuid[])', [[oldReset, newReset]]);
    expect(resets.rows.map((r) => r.id)).toEqual([newReset]);
    expect(await app.get(CredentialsPurgeProcessor).purge()).toBe(0);
  });
});
