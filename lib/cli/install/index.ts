export { DEFAULT_KUBERNETES_GROUP } from './constants.ts';
export { parseInstallArguments, type InstallArguments } from './install-arguments.ts';
export { renderInstall } from './render-install.ts';
