import type { KubeConfig, RequestContext } from '@kubernetes/client-node';

/**
 * Makes every request of `kubeConfig` share one connection pool. client-node 2.x gives each
 * request a new undici Agent (`applySecurityAuthentication`), so each API call opens its own
 * TLS connection: on a small machine 1,000 event writes then take ~15 s instead of ~2 s. The
 * first request's Agent (built from this kubeconfig's CA and client certificate, which never
 * change) is kept and handed to every later request; bearer tokens travel in headers and are
 * still applied per request.
 */
export function shareConnections(kubeConfig: KubeConfig): KubeConfig {
  const authenticate = kubeConfig.applySecurityAuthentication.bind(kubeConfig);
  let shared: ReturnType<RequestContext['getDispatcher']>;
  kubeConfig.applySecurityAuthentication = async (context: RequestContext) => {
    await authenticate(context);
    shared ??= context.getDispatcher();
    if (shared) context.setDispatcher(shared);
  };
  return kubeConfig;
}
