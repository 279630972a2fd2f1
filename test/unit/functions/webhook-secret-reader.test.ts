import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SECRET_READ_TIMEOUT_MS,
  webhookSecretReader,
} from '../../../functions/pod-pending/webhook-secret-reader.ts';

describe('webhookSecretReader', { timeout: 15_000 }, () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it.each([
    { store: 'secrets-manager' as const, secretId: 'webhook' },
    { store: 'ssm' as const, parameterName: '/skyscale/webhook' },
  ])('gives up on a $store endpoint that never answers within two timeouts', async (location) => {
    // Prepare: a server that accepts connections and never answers
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const read = webhookSecretReader(location, {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });

    // Act
    const startedAt = Date.now();
    const outcome = await read().then(
      () => 'read',
      (error: unknown) => String(error),
    );

    // Assess
    expect(outcome).toMatch(/timeout|timed out/i);
    expect(Date.now() - startedAt).toBeLessThan(2 * SECRET_READ_TIMEOUT_MS + 1_000);
  });
});
