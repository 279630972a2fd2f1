import { resourceValue, type Resources } from '../apis/quantity.ts';
import type { Container, PodSpec } from '../apis/index.ts';

type MutableResources = Record<string, number>;

/** Parses each distinct quantity string once per run: the pods of one workload repeat the same few. */
export class QuantityParser {
  private readonly parsed = new Map<string, number>();

  value(name: string, quantity: string | number): number {
    const key = `${name}=${quantity}`;
    let value = this.parsed.get(key);
    if (value === undefined) this.parsed.set(key, (value = resourceValue(name, quantity)));
    return value;
  }
}

function containerRequests(container: Container, parser: QuantityParser): MutableResources {
  const out: MutableResources = {};
  const { requests, limits } = container.resources ?? {};
  // Kubernetes defaults a missing request to the limit.
  for (const [name, quantity] of Object.entries(limits ?? {}))
    out[name] = parser.value(name, quantity);
  for (const [name, quantity] of Object.entries(requests ?? {}))
    out[name] = parser.value(name, quantity);
  return out;
}

function addInto(target: MutableResources, addend: Resources): void {
  for (const [name, value] of Object.entries(addend)) target[name] = (target[name] ?? 0) + value;
}

function maxInto(target: MutableResources, other: Resources): void {
  for (const [name, value] of Object.entries(other))
    target[name] = Math.max(target[name] ?? 0, value);
}

export function sumResources(...lists: Resources[]): Resources {
  const out: MutableResources = {};
  for (const list of lists) addInto(out, list);
  return out;
}

/**
 * What a pod asks of a node, as the kubelet admits it: the app containers plus every sidecar
 * (init container with `restartPolicy: Always`), or the largest init container step if that is
 * more (a plain init container runs beside the sidecars started before it), plus the pod's
 * overhead, plus one pod.
 */
export function podRequests(spec: PodSpec, parser = new QuantityParser()): Resources {
  const running: MutableResources = {};
  for (const container of spec.containers) addInto(running, containerRequests(container, parser));
  const sidecarsSoFar: MutableResources = {};
  const initPeak: MutableResources = {};
  for (const container of spec.initContainers ?? []) {
    const requests = containerRequests(container, parser);
    if (container.restartPolicy === 'Always') {
      addInto(sidecarsSoFar, requests);
      addInto(running, requests);
      maxInto(initPeak, sidecarsSoFar);
    } else {
      maxInto(initPeak, sumResources(requests, sidecarsSoFar));
    }
  }
  maxInto(running, initPeak);
  addInto(running, { pods: 1 });
  for (const [name, quantity] of Object.entries(spec.overhead ?? {}))
    addInto(running, { [name]: parser.value(name, quantity) });
  return running;
}

/** Everything `podRequests` reads of the spec, as text: specs with the same key request the same. */
export function podRequestsKey(spec: PodSpec): string {
  let key = '';
  for (const { resources } of spec.containers) key += `${JSON.stringify(resources ?? {})};`;
  for (const { resources, restartPolicy } of spec.initContainers ?? [])
    key += `|${restartPolicy ?? ''}${JSON.stringify(resources ?? {})}`;
  return spec.overhead ? `${key}+${JSON.stringify(spec.overhead)}` : key;
}

/**
 * Resource names interned to vector indices, so the packing loop compares `Float64Array`s
 * instead of walking records. Only resources some pod or DaemonSet requests take a slot: a
 * resource nobody asks for can never be the reason a pod does not fit.
 */
export class ResourceSpace {
  readonly names: readonly string[];
  private readonly index: ReadonlyMap<string, number>;

  constructor(names: Iterable<string>) {
    this.names = [...new Set(['cpu', 'memory', 'pods', ...names])];
    this.index = new Map(this.names.map((name, position) => [name, position]));
  }

  get size(): number {
    return this.names.length;
  }

  vector(resources: Resources): Float64Array {
    const out = new Float64Array(this.names.length);
    for (const [name, value] of Object.entries(resources)) {
      const position = this.index.get(name);
      if (position !== undefined) out[position] = value;
    }
    return out;
  }

  toResources(vector: Float64Array): Resources {
    const out: MutableResources = {};
    this.names.forEach((name, position) => {
      const value = vector[position] ?? 0;
      if (value !== 0) out[name] = value;
    });
    return out;
  }

  /** `a + b` fits within `capacity` (offset into a flat table of vectors). */
  static fitsSum(a: Float64Array, b: Float64Array, capacity: Float64Array, offset = 0): boolean {
    for (let position = 0; position < a.length; position++) {
      if ((a[position] ?? 0) + (b[position] ?? 0) > (capacity[offset + position] ?? 0))
        return false;
    }
    return true;
  }

  static addInto(target: Float64Array, addend: Float64Array): void {
    for (let position = 0; position < target.length; position++)
      target[position] = (target[position] ?? 0) + (addend[position] ?? 0);
  }
}
