import { Agent, request } from 'node:https';
import { KubeApiError, namespaceRequiredError } from '../errors.ts';
import { ResourceTypes, type ResourceType } from '../resource-types.ts';
import type {
  DeleteOptions,
  JsonObject,
  ListPage,
  ListRequest,
  ObjectKey,
  ResourceTransport,
} from '../transport.ts';

/** Where the API server is and how to prove who we are to it. */
export interface HttpsTransportOptions {
  /** `https://host[:port]`. */
  readonly server: string;
  /** PEM CA bundle the server's certificate must chain to. */
  readonly ca: string | Buffer;
  /** A bearer token, asked for before every request (a token source caches and refreshes it). */
  readonly token?: () => Promise<string>;
  /** A client certificate and its key (PEM), for clusters that authenticate by certificate. */
  readonly clientCertificate?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

interface Response {
  readonly status: number;
  readonly body: string;
}

const MERGE_PATCH = 'application/merge-patch+json';

/** The URL path of a resource collection, or of one object (and its status) in it. */
export function resourcePath(
  type: ResourceType,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const scope = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${scope}/${type.plural}${object}${subresource ? `/${subresource}` : ''}`;
}

function namespaceOf(type: ResourceType, namespace: string | undefined): string | undefined {
  if (type.namespaced && !namespace) throw namespaceRequiredError(type);
  return namespace;
}

/** The `reason` and `message` of a metav1.Status error body, when it is one. */
function statusOf(body: string): { reason?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { reason, message } = parsed as Record<string, unknown>;
    return {
      ...(typeof reason === 'string' && { reason }),
      ...(typeof message === 'string' && { message }),
    };
  } catch {
    return {};
  }
}

/**
 * ResourceTransport over Node's own HTTPS client: a few paths and verbs of the Kubernetes REST
 * API, one keep-alive connection pool, JSON in and out. It is what the Lambda functions use, so
 * their bundle carries no Kubernetes client library.
 */
export class HttpsTransport implements ResourceTransport {
  private readonly agent: Agent;
  private readonly server: URL;

  constructor(private readonly options: HttpsTransportOptions) {
    this.server = new URL(options.server);
    this.agent = new Agent({
      keepAlive: true,
      ca: options.ca,
      ...(options.clientCertificate && {
        cert: options.clientCertificate.cert,
        key: options.clientCertificate.key,
      }),
    });
  }

  async list(type: ResourceType, listRequest: ListRequest): Promise<ListPage> {
    const query = new URLSearchParams({ limit: String(listRequest.limit) });
    if (listRequest.continue) query.set('continue', listRequest.continue);
    const selector = Object.entries(listRequest.fieldSelector ?? {});
    if (selector.length > 0)
      query.set('fieldSelector', selector.map(([path, value]) => `${path}=${value}`).join(','));
    const path = resourcePath(type, listRequest.namespace);
    const list = await this.json('GET', `${path}?${query.toString()}`);
    const token = (list['metadata'] as { continue?: string } | undefined)?.continue;
    return { items: (list['items'] ?? []) as JsonObject[], continue: token || undefined };
  }

  get(type: ResourceType, key: ObjectKey): Promise<JsonObject> {
    return this.json('GET', resourcePath(type, namespaceOf(type, key.namespace), key.name));
  }

  create(type: ResourceType, object: JsonObject): Promise<JsonObject> {
    const namespace = (object['metadata'] as { namespace?: string } | undefined)?.namespace;
    return this.json('POST', resourcePath(type, namespaceOf(type, namespace)), object);
  }

  patch(
    type: ResourceType,
    key: ObjectKey,
    patch: JsonObject,
    subresource?: 'status',
  ): Promise<JsonObject> {
    const path = resourcePath(type, namespaceOf(type, key.namespace), key.name, subresource);
    return this.json('PATCH', path, patch, MERGE_PATCH);
  }

  async delete(type: ResourceType, key: ObjectKey, options: DeleteOptions = {}): Promise<void> {
    const path = resourcePath(type, namespaceOf(type, key.namespace), key.name);
    const body =
      options.gracePeriodSeconds === undefined
        ? undefined
        : { gracePeriodSeconds: options.gracePeriodSeconds };
    await this.json('DELETE', path, body);
  }

  async evict(key: Required<ObjectKey>): Promise<void> {
    const path = resourcePath(ResourceTypes.pod, key.namespace, key.name, 'eviction');
    await this.json('POST', path, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: key.name, namespace: key.namespace },
    });
  }

  private async json(
    method: string,
    path: string,
    body?: JsonObject,
    contentType = 'application/json',
  ): Promise<JsonObject> {
    const response = await this.send(method, path, body, contentType);
    if (response.status >= 200 && response.status < 300)
      return response.body ? (JSON.parse(response.body) as JsonObject) : {};
    const { reason, message } = statusOf(response.body);
    throw KubeApiError.fromStatus(
      response.status,
      message ?? `HTTP ${response.status}: ${method} ${path}`,
      reason,
    );
  }

  private async send(
    method: string,
    path: string,
    body: JsonObject | undefined,
    contentType: string,
  ): Promise<Response> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    if (this.options.token) headers['Authorization'] = `Bearer ${await this.options.token()}`;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          protocol: this.server.protocol,
          hostname: this.server.hostname,
          port: this.server.port,
          path: `${this.server.pathname.replace(/\/$/, '')}${path}`,
          method,
          headers,
          agent: this.agent,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }
}
