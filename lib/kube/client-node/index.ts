export { lambdaKubeClients, kubeConfigFileClients } from './client-node-clients.ts';
export { ClientNodeTransport } from './client-node-transport.ts';
export { kubeConfigFromFile, kubeConfigFromYaml, lambdaKubeConfig } from './kube-config.ts';
