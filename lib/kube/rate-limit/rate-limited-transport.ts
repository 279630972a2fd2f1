import type { ResourceTransport } from '../transport.ts';
import type { TokenBucket } from '../../util/token-bucket.ts';

/** `transport` with every request first taking a token from `bucket`. */
export function rateLimited(transport: ResourceTransport, bucket: TokenBucket): ResourceTransport {
  const limit =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await bucket.acquire();
      return call(...args);
    };
  return {
    list: limit((type, request) => transport.list(type, request)),
    get: limit((type, key) => transport.get(type, key)),
    create: limit((type, object) => transport.create(type, object)),
    patch: limit((type, key, patch, subresource) => transport.patch(type, key, patch, subresource)),
    delete: limit((type, key, options) => transport.delete(type, key, options)),
    evict: limit((key) => transport.evict(key)),
  };
}
