/**
 * A SQL expression that makes the statement's own transaction commit without waiting for its WAL
 * to reach the disk (`synchronous_commit = off` for that transaction only; PostgreSQL reads the
 * setting at commit, before a local setting ends). Use it inside a single-statement write, where
 * it must be evaluated (a SELECT the result depends on, not an unreferenced CTE).
 *
 * Why: every commit of a request otherwise waits for a WAL flush, and under load the commits of
 * all requests queue behind the one backend that holds the WAL write lock; when that backend loses
 * its core for a moment, every request waits. What it costs: after a crash of PostgreSQL (not of
 * the app), the last fraction of a second of such commits may be missing, never half-applied.
 * The next commit that waits for its flush makes every earlier one durable too (the WAL is one
 * sequence). So only writes whose loss a retry repairs may use it, and only when nothing outside
 * the database acts on them before such a later commit: no answer that promises them. Their
 * outbox events are safe: the relay passes a barrier (OutboxBarrier) before it hands events over.
 * README, "Durability of commits", lists the writes that use it.
 */
export const RELAX_COMMIT = `set_config('synchronous_commit', 'off', true)`;
