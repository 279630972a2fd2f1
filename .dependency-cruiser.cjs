/** The import rules between lib's modules, functions/ and infra/. `npm run lint` fails on any violation. */
const PURE = '^lib/(scheduling|disruption)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-decisions',
      comment:
        'lib/scheduling and lib/disruption import only lib/apis, lib/state, lib/cloudprovider (types), themselves and node: built-ins for types; lib/disruption also uses the scheduler to simulate.',
      severity: 'error',
      from: { path: PURE },
      to: {
        pathNot: ['^lib/(apis|state|cloudprovider|scheduling)/', '^lib/$1/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'pure-decisions-no-packages',
      comment: 'No SDK or I/O package in decision code, not even for types.',
      severity: 'error',
      from: { path: PURE },
      to: { dependencyTypes: ['npm', 'npm-dev', 'core', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'pure-decisions-no-adapters',
      comment:
        'Decision code sees only the cloudprovider port, never an adapter or what adapters share.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^lib/(cloudprovider/(aws|simulated|ec2-model)|kube)/' },
    },
    {
      name: 'cloud-adapters-independent',
      comment:
        'The simulated cloud and the EC2 adapter never import each other: logic both need (offering selection, AMI aliases, capacity) lives in lib/cloudprovider/ec2-model.',
      severity: 'error',
      from: { path: '^lib/cloudprovider/(aws|simulated)/' },
      to: { path: '^lib/cloudprovider/(aws|simulated)/', pathNot: '^lib/cloudprovider/$1/' },
    },
    {
      name: 'aws-sdk-only-in-aws-adapter',
      severity: 'error',
      from: { path: '^lib/', pathNot: '^lib/cloudprovider/aws/' },
      to: { path: 'node_modules/@aws-sdk/client-(ec2|ssm|pricing|iam)/' },
    },
    {
      name: 'client-node-only-in-kube',
      severity: 'error',
      from: { pathNot: '^(lib/kube/|test/)' },
      to: { path: 'node_modules/@kubernetes/client-node/' },
    },
    {
      name: 'adapters-composed-only-at-the-edges',
      comment:
        'Only functions/ and lib/cli (and lib/sim, which is a composition root for the simulator) build adapters.',
      severity: 'error',
      from: { path: '^lib/', pathNot: '^lib/(cli|sim|cloudprovider/(aws|simulated)|kube)/' },
      to: { path: '^lib/(cloudprovider/(aws|simulated)|kube)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lib-never-imports-cdk',
      severity: 'error',
      from: { path: '^(lib|functions)/' },
      to: { path: 'node_modules/(aws-cdk-lib|constructs|cdk-nag)/' },
    },
    {
      name: 'infra-imports-only-constants-from-lib',
      comment:
        'infra/ takes constants from lib/**/constants.ts (event patterns, metric names), never runtime modules.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^lib/', pathNot: '^lib/.+/constants\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|\\.cache)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
