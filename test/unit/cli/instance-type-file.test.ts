import { describe, expect, it } from 'vitest';
import { Labels } from '../../../lib/apis/labels.ts';
import {
  InstanceTypeFileError,
  parseInstanceTypeFile,
} from '../../../lib/cli/plan/instance-type-file.ts';

const small = {
  name: 'small',
  capacity: { cpu: '2', memory: '4Gi', pods: '10', 'nvidia.com/gpu': '1' },
  offerings: [{ zone: 'zone-a', capacityType: 'spot', price: 0.05 }],
};

function parse(elements: unknown): ReturnType<typeof parseInstanceTypeFile> {
  return parseInstanceTypeFile('types.json', JSON.stringify(elements));
}

describe('parseInstanceTypeFile', () => {
  it('converts quantities and applies the defaults', () => {
    // Act
    const [instanceType] = parse([small]);
    // Assess
    expect(instanceType).toEqual({
      name: 'small',
      labels: { [Labels.instanceType]: 'small', [Labels.arch]: 'amd64', [Labels.os]: 'linux' },
      capacity: { cpu: 2000, memory: 4 * 2 ** 30, pods: 10, 'nvidia.com/gpu': 1 },
      overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
      offerings: [{ zone: 'zone-a', capacityType: 'spot', price: 0.05, available: true }],
    });
  });

  it('keeps architecture, labels, overhead and unavailable offerings', () => {
    // Prepare
    const element = {
      ...small,
      architecture: 'arm64',
      labels: { 'example.com/tier': 'gold' },
      overhead: { cpu: '100m', memory: '10Mi' },
      offerings: [{ zone: 'zone-b', capacityType: 'on-demand', price: 0.1, available: false }],
    };
    // Act
    const [instanceType] = parse([element]);
    // Assess
    expect(instanceType?.labels).toEqual({
      'example.com/tier': 'gold',
      [Labels.instanceType]: 'small',
      [Labels.arch]: 'arm64',
      [Labels.os]: 'linux',
    });
    expect(instanceType?.overhead.kubeReserved).toEqual({ cpu: 100, memory: 10 * 2 ** 20 });
    expect(instanceType?.offerings[0]?.available).toBe(false);
  });

  it.each([
    [
      [{ ...small, capacity: { cpu: '2', memory: 'lots', pods: '10' } }],
      'types.json: [0].capacity.memory: must be a non-negative Kubernetes quantity',
    ],
    [
      [{ ...small, capacity: { cpu: '2', memory: '1Gi' } }],
      'types.json: [0].capacity.pods: is required',
    ],
    [
      [small, { ...small, offerings: [{ zone: 'a', capacityType: 'preemptible', price: 1 }] }],
      'types.json: [1].offerings[0].capacityType:',
    ],
    [
      [{ ...small, labels: { [Labels.zone]: 'zone-a' } }],
      `types.json: [0].labels.${Labels.zone}: may not be set: it comes from the offerings`,
    ],
    [[small, small], 'types.json: [1].name: duplicate instance type "small"'],
    [[{ ...small, offerings: [] }], 'types.json: [0].offerings:'],
    [[{ ...small, speed: 'fast' }], 'types.json: [0]: Unrecognized key: "speed"'],
    [{ name: 'small' }, 'types.json: Invalid input: expected array'],
  ])('rejects %j, naming the file and the field', (document, message) => {
    // Act / Assess
    expect(() => parse(document)).toThrow(InstanceTypeFileError);
    expect(() => parse(document)).toThrow(message);
  });

  it('rejects text that is not JSON, naming the file', () => {
    // Act / Assess
    expect(() => parseInstanceTypeFile('types.json', '[{')).toThrow(/^types.json: invalid JSON/);
  });
});
