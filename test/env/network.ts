import { request } from 'node:https';
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A loopback port that was free a moment ago; bind it soon, as another process could take it. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
  return address.port;
}

export interface HttpsRequestOptions {
  readonly ca: string;
  readonly token?: string;
  readonly method?: string;
  readonly json?: unknown;
}

export interface HttpsResponse {
  readonly status: number;
  readonly body: string;
}

/** One https request trusting only `ca`, optionally with a bearer token and a JSON body. */
export function httpsRequest(
  url: string,
  { ca, token, method = 'GET', json }: HttpsRequestOptions,
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const req = request(url, { ca, headers, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(json === undefined ? undefined : JSON.stringify(json));
  });
}
