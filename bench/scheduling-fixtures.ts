/**
 * Inputs of Karpenter's scheduling benchmark (scheduling_benchmark_test.go in
 * kubernetes-sigs/karpenter), rebuilt from its description: 400 linear instance types, the five-kind diverse pod mix and the preference pods,
 * drawn from a seeded PRNG so every run schedules the same pods.
 */
import type { Pod } from '../lib/apis/index.ts';
import { Labels } from '../lib/apis/labels.ts';
import type { InstanceType, Offering } from '../lib/cloudprovider/types.ts';
import type { PreferencePolicy, SchedulingInput } from '../lib/scheduling/index.ts';
import { systemClock } from '../lib/util/clock.ts';

const GiB = 2 ** 30;

/** Karpenter's benchmark NodePool limits (cpu 10M, memory 10M Gi); the real catalog runs unlimited, since each claim counts its largest option (up to 24 TiB). */
export const BENCHMARK_LIMITS = { cpu: 10_000_000 * 1000, memory: 10_000_000 * GiB };

/** The benchmark's scheduler input: the pods, one NodePool over the types, nothing running yet. */
export function benchmarkInput(
  pods: readonly Pod[],
  instanceTypes: readonly InstanceType[],
  preferencePolicy: PreferencePolicy = 'Respect',
  limits: Record<string, number> | null = BENCHMARK_LIMITS,
): SchedulingInput {
  const nodePool = {
    name: 'default',
    requirements: [],
    ...(limits ? { limits } : {}),
    instanceTypes,
    usage: {},
  };
  return {
    pendingPods: pods,
    existingNodes: [],
    inFlightNodeClaims: [],
    nodePools: [nodePool],
    daemonSets: [],
    clock: systemClock,
    preferencePolicy,
  };
}
const CPU_CHOICES = ['100m', '250m', '500m', '1000m', '1500m'];
const MEMORY_CHOICES = ['100Mi', '256Mi', '512Mi', '1Gi', '2Gi', '4Gi'];
const LABEL_VALUES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

/** mulberry32: a small, fast, seedable PRNG. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `fake.InstanceTypes(400)`: cpu i, memory 2i Gi, pods 10i, 100m/10Mi kube-reserved, five offerings at one price. */
export function linearInstanceTypes(count: number): InstanceType[] {
  return Array.from({ length: count }, (_, index) => {
    const cpu = index + 1;
    const memory = 2 * cpu * GiB;
    const price = 0.1 * cpu + (0.1 * memory) / 1e9;
    const offering = (zone: string, capacityType: Offering['capacityType']): Offering => ({
      zone,
      capacityType,
      price,
      available: true,
    });
    const large = cpu > 4 && memory > 8 * GiB;
    return {
      name: `fake-it-${index}`,
      labels: {
        [Labels.instanceType]: `fake-it-${index}`,
        [Labels.arch]: 'amd64',
        [Labels.os]: 'linux',
        integer: String(cpu),
        size: large ? 'large' : 'small',
        ...(large ? { special: 'optional' } : {}),
      },
      capacity: { cpu: cpu * 1000, memory, pods: 10 * cpu },
      overhead: {
        kubeReserved: { cpu: 100, memory: 10 * 2 ** 20 },
        systemReserved: {},
        evictionThreshold: {},
      },
      offerings: [
        offering('test-zone-1', 'spot'),
        offering('test-zone-2', 'spot'),
        offering('test-zone-1', 'on-demand'),
        offering('test-zone-2', 'on-demand'),
        offering('test-zone-3', 'on-demand'),
      ],
    };
  });
}

type PodShape = Pick<Pod['spec'], 'affinity' | 'topologySpreadConstraints'>;

function makePod(
  random: () => number,
  name: string,
  labels: Record<string, string>,
  shape: PodShape = {},
): Pod {
  const pick = (choices: readonly string[]): string =>
    choices[Math.floor(random() * choices.length)] ?? choices[0] ?? '';
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels },
    spec: {
      containers: [
        {
          name: 'app',
          resources: { requests: { cpu: pick(CPU_CHOICES), memory: pick(MEMORY_CHOICES) } },
        },
      ],
      ...shape,
    },
  };
}

function spread(random: () => number, topologyKey: string): PodShape {
  const value = LABEL_VALUES[Math.floor(random() * LABEL_VALUES.length)] ?? 'a';
  return {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'my-label': value } },
      },
    ],
  };
}

/** `makeDiversePods(count)`: count/5 of each kind, the remainder generic. */
export function diversePods(count: number, seed = 42): Pod[] {
  const random = seededRandom(seed);
  const label = (): string => LABEL_VALUES[Math.floor(random() * LABEL_VALUES.length)] ?? 'a';
  const perKind = Math.floor(count / 5);
  const pods: Pod[] = [];
  const kinds: ((index: number) => Pod)[] = [
    (index) => makePod(random, `generic-${index}`, { 'my-label': label() }),
    (index) =>
      makePod(random, `zone-spread-${index}`, { 'my-label': label() }, spread(random, Labels.zone)),
    (index) =>
      makePod(
        random,
        `host-spread-${index}`,
        { 'my-label': label() },
        spread(random, Labels.hostname),
      ),
    (index) => {
      const value = label();
      const term = {
        labelSelector: { matchLabels: { 'my-affininity': value } },
        topologyKey: Labels.zone,
      };
      return makePod(
        random,
        `zone-affinity-${index}`,
        { 'my-affininity': value },
        { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } },
      );
    },
    (index) => {
      const term = {
        labelSelector: { matchLabels: { app: 'nginx' } },
        topologyKey: Labels.hostname,
      };
      return makePod(
        random,
        `host-anti-affinity-${index}`,
        { app: 'nginx' },
        {
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } },
        },
      );
    },
  ];
  for (const kind of kinds) for (let index = 0; index < perKind; index++) pods.push(kind(index));
  for (let index = 0; index < count - perKind * 5; index++)
    pods.push(makePod(random, `generic-extra-${index}`, { 'my-label': label() }));
  return pods;
}

/** `makePreferencePods(count)`: preferred zone-1, an unsatisfiable zone anti-affinity (10) and a satisfiable hostname one (1). */
export function preferencePods(count: number, seed = 42): Pod[] {
  const random = seededRandom(seed);
  const selector = { matchLabels: { app: 'nginx' } };
  return Array.from({ length: count }, (_, index) =>
    makePod(
      random,
      `preference-${index}`,
      { app: 'nginx' },
      {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 1,
                preference: {
                  matchExpressions: [{ key: Labels.zone, operator: 'In', values: ['test-zone-1'] }],
                },
              },
            ],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 10,
                podAffinityTerm: { labelSelector: selector, topologyKey: Labels.zone },
              },
              {
                weight: 1,
                podAffinityTerm: { labelSelector: selector, topologyKey: Labels.hostname },
              },
            ],
          },
        },
      },
    ),
  );
}
