/** A Lambda Function URL event (payload format 2.0) as Lambda delivers it. */
export function functionUrlEvent(options: {
  rawPath: string;
  body?: string;
  isBase64Encoded?: boolean;
}): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'abc.lambda-url.us-east-1.on.aws' },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc',
      http: {
        method: 'POST',
        path: options.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '10.0.0.1',
        userAgent: 'kube-apiserver-admission',
      },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '27/Nov/2026:18:00:00 +0000',
      timeEpoch: 1_795_802_400_000,
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

/** An AdmissionReview for a Pod CREATE, as kube-apiserver sends it; `request` fields override. */
export function podCreateReview(request: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      operation: 'CREATE',
      namespace: 'shop',
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller' },
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { generateName: 'web-7d9f-', namespace: 'shop' },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
      dryRun: false,
      ...request,
    },
  };
}
