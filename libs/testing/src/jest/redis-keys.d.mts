import type { Redis } from 'ioredis';

export function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void>;
