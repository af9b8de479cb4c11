import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MicroBatcher } from '../database/micro-batcher.js';
import { RELAX_COMMIT } from '../database/relaxed-commit.js';

export interface KeyClaim {
  scope: string;
  request: string;
  key: string;
  fingerprint: string;
  leaseMs: number;
  ttlMs: number;
}

/** The row holding a key that someone else claimed first. */
export interface HeldKey {
  id: string;
  fingerprint: string;
  /** Seconds left on an in-flight claim; 0 when it completed or its holder stopped. */
  leaseLeftS: number;
  response: { status: number; headers: Record<string, string>; body: Buffer } | null;
}

export type ClaimOutcome = { claimed: true; id: string } | { claimed: false; held: HeldKey };

interface Completion {
  id: string;
  status: number;
  headers: string;
  body: Buffer;
}

type KeyWrite = { claim: KeyClaim & { id: string } } | { complete: Completion } | { release: string };

interface HeldRow {
  id: string;
  fingerprint: string;
  lease_left_s: number;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: Buffer | null;
}

/** `platform.idempotency_keys`: claims are atomic (`INSERT ... ON CONFLICT DO NOTHING`). */
@Injectable()
export class IdempotencyRepository {
  // The claims, completions and releases of one event-loop turn travel as one statement: under
  // load the layer then costs about one round trip per request instead of two, and each request
  // still waits for its own row.
  private readonly writes = new MicroBatcher<KeyWrite, boolean>((batch) => this.writeAll(batch));

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim(claim: KeyClaim): Promise<ClaimOutcome> {
    const id = randomUUID();
    if (await this.writes.add({ claim: { ...claim, id } })) return { claimed: true, id };
    // The holder may release the key between our insert and our read: then try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [held]: HeldRow[] = await this.dataSource.query(
        `SELECT id, fingerprint, response_status, response_headers, response_body,
                greatest(0, ceil(extract(epoch FROM locked_until - now())))::int AS lease_left_s
         FROM platform.idempotency_keys WHERE scope = $1 AND request = $2 AND key = $3`,
        [claim.scope, claim.request, claim.key],
      );
      if (held) return { claimed: false, held: toHeld(held) };
      if (await this.writes.add({ claim: { ...claim, id } })) return { claimed: true, id };
    }
    throw new Error('Idempotency key claim kept changing hands');
  }

  /** Claims a key whose holder stopped before answering (its lease ran out). */
  async takeOver(id: string, leaseMs: number): Promise<boolean> {
    const result: unknown = await this.dataSource.query(
      `UPDATE platform.idempotency_keys SET locked_until = now() + make_interval(secs => $2::float8 / 1000)
       WHERE id = $1 AND response_status IS NULL AND (locked_until IS NULL OR locked_until <= now())`,
      [id, leaseMs],
    );
    return affected(result) > 0;
  }

  async complete(id: string, status: number, headers: Record<string, string>, body: Buffer): Promise<void> {
    await this.writes.add({ complete: { id, status, headers: JSON.stringify(headers), body } });
  }

  /**
   * One statement for a turn's writes: the completions (UPDATE), the releases (DELETE) and the
   * claims (INSERT ... ON CONFLICT DO NOTHING) as data-modifying CTEs. A claim answers true when its
   * row went in; a lost claim (someone holds the key) false; the others true. A claim that meets
   * the row a release of the same turn deletes loses, reads no row and claims again (claim()).
   * Without completions the statement commits without waiting for its WAL flush (see RELAX_COMMIT):
   * a claim or release lost in a database crash costs a retry at most, never a second effect.
   */
  private async writeAll(batch: KeyWrite[]): Promise<boolean[]> {
    const claims = batch.flatMap((write) => ('claim' in write ? [write.claim] : []));
    const completions = batch.flatMap((write) => ('complete' in write ? [write.complete] : []));
    const releases = batch.flatMap((write) => ('release' in write ? [write.release] : []));
    const inserted: { id: string | null }[] = await this.dataSource.query(
      `WITH completed AS (
         UPDATE platform.idempotency_keys AS k
         SET response_status = c.status, response_headers = c.headers, response_body = c.body, locked_until = NULL
         FROM unnest($8::uuid[], $9::int[], $10::jsonb[], $11::bytea[]) AS c(id, status, headers, body)
         WHERE k.id = c.id
       ), released AS (
         DELETE FROM platform.idempotency_keys WHERE id = ANY($12::uuid[]) AND response_status IS NULL
       ), claimed AS (
         INSERT INTO platform.idempotency_keys (id, scope, request, key, fingerprint, locked_until, expires_at)
         SELECT v.id, v.scope, v.request, v.key, v.fingerprint, now() + make_interval(secs => v.lease_ms / 1000), now() + make_interval(secs => v.ttl_ms / 1000)
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[]) AS v(id, scope, request, key, fingerprint, lease_ms, ttl_ms)
         ON CONFLICT (scope, request, key) DO NOTHING RETURNING id
       )
       SELECT c.id FROM (SELECT CASE WHEN $13 THEN ${RELAX_COMMIT} END) AS relaxed(v) LEFT JOIN claimed c ON true`,
      [
        claims.map((c) => c.id),
        claims.map((c) => c.scope),
        claims.map((c) => c.request),
        claims.map((c) => c.key),
        claims.map((c) => c.fingerprint),
        claims.map((c) => c.leaseMs),
        claims.map((c) => c.ttlMs),
        completions.map((c) => c.id),
        completions.map((c) => c.status),
        completions.map((c) => c.headers),
        completions.map((c) => c.body),
        releases,
        completions.length === 0,
      ],
    );
    const won = new Set(inserted.flatMap((row) => (row.id ? [row.id] : [])));
    return batch.map((write) => ('claim' in write ? won.has(write.claim.id) : true));
  }

  /** Frees a key whose request must not be remembered (validation failure, 5xx: resumable). */
  async release(id: string): Promise<void> {
    await this.writes.add({ release: id });
  }

  /** Deletes up to `limit` keys past their retention; how many went. */
  async purgeExpired(limit: number): Promise<number> {
    const result: unknown = await this.dataSource.query(
      `DELETE FROM platform.idempotency_keys WHERE id IN (SELECT id FROM platform.idempotency_keys WHERE expires_at <= now() LIMIT $1)`,
      [limit],
    );
    return affected(result);
  }
}

/** TypeORM answers an UPDATE or DELETE on PostgreSQL with `[rows, rowCount]`. */
const affected = (result: unknown): number => (Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0);

function toHeld(row: HeldRow): HeldKey {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    leaseLeftS: Number(row.lease_left_s ?? 0),
    response: row.response_status === null ? null : { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body ?? Buffer.alloc(0) },
  };
}
