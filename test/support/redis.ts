/** Redis helpers for tests and benchmarks. */
import { Redis } from 'ioredis';

/** Deletes every key of a job-store namespace (`<namespace>:*`). */
export async function deleteRedisNamespace(url: string, namespace: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
