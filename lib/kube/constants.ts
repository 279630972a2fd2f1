/**
 * Environment variables the Lambda functions read to reach the cluster. infra/ imports these names
 * when it configures the functions, so the two cannot disagree.
 */
export const KubeEnvironment = {
  clusterName: 'CLUSTER_NAME',
  /** The EKS API server endpoint, `https://…`. */
  clusterEndpoint: 'CLUSTER_ENDPOINT',
  /** The cluster CA bundle, base64-encoded PEM as EKS DescribeCluster returns it. */
  clusterCaData: 'CLUSTER_CA_DATA',
  /** Optional: bulk traffic limits (defaults 200 / 300). */
  qps: 'KUBE_CLIENT_QPS',
  burst: 'KUBE_CLIENT_BURST',
  /** Optional: where the Lease lock lives (default kube-system). */
  leaseNamespace: 'SKYSCALE_LEASE_NAMESPACE',
} as const;
