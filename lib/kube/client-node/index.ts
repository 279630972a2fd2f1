export { lambdaKubeClients, kubeConfigFileClients } from './configured-clients.ts';
export { ClientNodeTransport } from './client-node-transport.ts';
export { kubeConfigFromFile, kubeConfigFromYaml, lambdaKubeConfig } from './kube-config.ts';
