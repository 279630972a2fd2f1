export { kubeConfigFileClients } from './configured-clients.ts';
export { ClientNodeTransport } from './client-node-transport.ts';
export { kubeConfigFromFile, kubeConfigFromYaml } from './kube-config.ts';
