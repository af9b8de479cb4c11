// Plain JavaScript: jest's global teardown loads it untranspiled; the benches import it too.

/** Deletes every key under `prefix` (SCAN, then UNLINK in batches), e.g. what one test or bench run left. */
export async function deleteKeysWithPrefix(redis, prefix) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
