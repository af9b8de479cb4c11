import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from './env.schema.js';

/** Typed access to the validated environment. */
@Injectable()
export class AppConfig {
  constructor(private readonly config: ConfigService<Env, true>) {}

  get<K extends keyof Env>(key: K): Env[K] {
    return this.config.get(key, { infer: true });
  }

  get redisEnabled(): boolean {
    return Boolean(this.get('REDIS_URL'));
  }

  get corsOrigins(): string[] | boolean {
    const raw = this.get('CORS_ORIGINS').trim();
    if (raw === '') return false;
    if (raw === '*') return true;
    return raw.split(',').map((o) => o.trim()).filter(Boolean);
  }
}
