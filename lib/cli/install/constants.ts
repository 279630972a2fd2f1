/**
 * The Kubernetes group the provisioner role's EKS access entry maps to, and to which
 * `skyscale install` binds Skyscale's ClusterRole. infra/ imports it, so both sides agree.
 */
export const DEFAULT_KUBERNETES_GROUP = 'skyscale';
