import { describe, expect, it } from 'vitest';
import { Labels } from '../../../../lib/apis/labels.ts';
import {
  CatalogError,
  CatalogSchema,
  embeddedCatalog,
  embeddedInstanceTypes,
  estimatedSpotDiscount,
  estimatedSpotPrice,
} from '../../../../lib/cloudprovider/ec2-model/catalog/index.ts';
import { decodeCatalog } from '../../../../lib/cloudprovider/ec2-model/catalog/catalog-encoding.ts';
import { US_EAST_1_CATALOG } from '../../../../lib/cloudprovider/ec2-model/catalog/us-east-1.ts';
import {
  catalogModule,
  generateCatalog,
  sustainedBandwidthMbps,
} from '../../../../scripts/generate-catalog.ts';

function sourceType(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    vcpu: 2,
    memoryMiB: 8192,
    architectures: ['x86_64'],
    cpuManufacturer: 'Intel',
    bareMetal: false,
    hypervisor: 'nitro',
    usageClasses: ['on-demand', 'spot'],
    maxENIs: 3,
    ipv4PerENI: 10,
    networkPerformance: 'Up to 10 Gigabit',
    localStorageGB: 0,
    localStorageNvme: false,
    gpu: null,
    accelerator: null,
    vpc: { trunking: true, branchEnis: 9 },
    regions: {
      'us-east-1': { zones: ['us-east-1b', 'us-east-1a'], onDemandUSDPerHour: 0.096 },
      'us-west-2': { zones: ['us-west-2a'], onDemandUSDPerHour: null },
    },
    ...overrides,
  };
}

const source = {
  sources: { specs: 'test fixture' },
  instanceTypes: [
    sourceType('m5.large'),
    sourceType('mac2.metal', { architectures: ['arm64_mac'] }),
    sourceType('g6f.large', {
      gpu: { count: 0, manufacturer: 'NVIDIA', name: 'L4', memoryMiB: 0 },
    }),
    sourceType('p4d.24xlarge', {
      vcpu: 96,
      maxENIs: 60,
      ipv4PerENI: 50,
      networkPerformance: '4x 100 Gigabit',
      localStorageGB: 8000,
      localStorageNvme: true,
      usageClasses: ['capacity-block', 'on-demand'],
      gpu: { count: 8, manufacturer: 'NVIDIA', name: 'A100', memoryMiB: 327680 },
    }),
    sourceType('c5.metal', { hypervisor: '', vpc: { trunking: false, branchEnis: 0 } }),
  ],
};

describe('generateCatalog', () => {
  it('keeps facts, prices and zones of the region and drops types EKS cannot run', () => {
    // Act
    const catalog = generateCatalog(source, 'us-east-1');
    // Assess
    expect(catalog.zones).toEqual(['us-east-1a', 'us-east-1b']);
    expect(catalog.instanceTypes.map((entry) => entry.name)).toEqual([
      'c5.metal',
      'g6f.large',
      'm5.large',
      'p4d.24xlarge',
    ]);
    const [metal, fractional, m5, p4d] = catalog.instanceTypes;
    expect(m5).toEqual({
      name: 'm5.large',
      vcpus: 2,
      memoryMiB: 8192,
      architecture: 'amd64',
      cpuManufacturer: 'Intel',
      hypervisor: 'nitro',
      bareMetal: false,
      maxEnis: 3,
      ipv4PerEni: 10,
      branchEnis: 9,
      zones: [1, 0],
      capacityTypes: ['on-demand', 'spot'],
      onDemandUSDPerHour: 0.096,
    });
    expect(metal?.hypervisor).toBeUndefined();
    expect(metal?.branchEnis).toBe(0);
    expect(fractional?.gpu).toBeUndefined();
    expect(p4d).toMatchObject({
      maxEnis: 15,
      gpu: { count: 8, memoryMiB: 40960 },
      localNvmeGB: 8000,
      networkBandwidthMbps: 400000,
      capacityTypes: ['on-demand'],
    });
  });

  it("borrows us-east-1's on-demand price where the region has none, and says so", () => {
    // Act
    const catalog = generateCatalog(source, 'us-west-2');
    // Assess
    expect(catalog.instanceTypes[0]?.onDemandUSDPerHour).toBe(0.096);
    expect(catalog.about).toContain("use us-east-1's");
  });

  it('rejects a source that is not the EC2 facts file, naming the field', () => {
    // Prepare
    const broken = { ...source, instanceTypes: [sourceType('m5.large', { vcpu: 'two' })] };
    // Act / Assess
    expect(() => generateCatalog(broken, 'us-east-1')).toThrow(/instanceTypes.*0.*vcpu|vcpu/);
  });

  it('writes a module whose constant decodes to the catalog and whose comment says what it holds', () => {
    // Prepare
    const catalog = generateCatalog(source, 'us-east-1');
    // Act
    const text = catalogModule(catalog);
    // Assess
    const encoded = /^export const US_EAST_1_CATALOG =\n {2}'([A-Za-z0-9+/=]+)';$/m.exec(text)?.[1];
    expect(decodeCatalog(encoded ?? '')).toEqual(catalog);
    expect(text).toContain('4 instance types in 2 zones');
    expect(text.split('\n').every((line) => line.length <= 100 || line.startsWith("  '"))).toBe(
      true,
    );
  });

  it.each([
    ['25 Gigabit', 25000],
    ['4x 100 Gigabit', 400000],
    ['18.75 Gigabit', 18750],
    ['Up to 10 Gigabit', undefined],
    ['Moderate', undefined],
  ])('reads a sustained bandwidth from "%s"', (text, mbps) => {
    // Act / Assess
    expect(sustainedBandwidthMbps(text)).toBe(mbps);
  });
});

describe('the embedded us-east-1 catalog', () => {
  it('is valid against the catalog schema', () => {
    // Act
    const result = CatalogSchema.safeParse(decodeCatalog(US_EAST_1_CATALOG));
    // Assess
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.data?.instanceTypes.length).toBeGreaterThan(1000);
  });

  it('gives m5.large the allocatable of the worked example and an offering per zone and capacity type', () => {
    // Act
    const m5 = embeddedInstanceTypes('us-east-1').find((type) => type.name === 'm5.large');
    // Assess
    expect(m5?.capacity).toMatchObject({ cpu: 2000, memory: 7577 * 2 ** 20, pods: 29 });
    expect(m5?.offerings).toHaveLength(10);
    expect(m5?.offerings.filter((offering) => offering.capacityType === 'on-demand')).toEqual(
      ['a', 'b', 'c', 'd', 'f'].map((zone) => ({
        zone: `us-east-1${zone}`,
        capacityType: 'on-demand',
        price: 0.096,
        available: true,
      })),
    );
    const spot = m5?.offerings.filter((offering) => offering.capacityType === 'spot') ?? [];
    expect(spot.map((offering) => offering.zone)).toHaveLength(5);
    expect(new Set(spot.map((offering) => offering.price))).toEqual(
      new Set([estimatedSpotPrice('m5', 0.096)]),
    );
  });

  it('labels GPU types and advertises their GPUs', () => {
    // Act
    const p4d = embeddedInstanceTypes('us-east-1').find((type) => type.name === 'p4d.24xlarge');
    // Assess
    expect(p4d?.labels).toMatchObject({
      [Labels.instanceGpuName]: 'a100',
      [Labels.instanceGpuManufacturer]: 'nvidia',
      [Labels.instanceGpuCount]: '8',
      [Labels.instanceGpuMemory]: '40960',
      [Labels.instanceLocalNvme]: '8000',
      [Labels.arch]: 'amd64',
    });
    expect(p4d?.capacity['nvidia.com/gpu']).toBe(8);
  });

  it('applies node settings such as maxPods to every type', () => {
    // Act
    const types = embeddedInstanceTypes('us-east-1', { kubelet: { maxPods: 17 } });
    // Assess
    expect(new Set(types.map((type) => type.capacity.pods))).toEqual(new Set([17]));
  });

  it('names the embedded regions when asked for another', () => {
    // Act / Assess
    expect(() => embeddedCatalog('mars-north-1')).toThrow(CatalogError);
    expect(() => embeddedCatalog('mars-north-1')).toThrow(/embedded: us-east-1/);
  });
});

describe('estimatedSpotPrice', () => {
  it('discounts every type of a family by the same 55–80 %', () => {
    // Act
    const large = estimatedSpotPrice('m5', 0.096);
    const xlarge = estimatedSpotPrice('m5', 0.192);
    const discounts = ['m5', 'c7g', 'p4d', 'r8i', 't3'].map(estimatedSpotDiscount);
    // Assess
    expect(xlarge / large).toBeCloseTo(2, 3);
    expect(large).toBeCloseTo(0.096 * (1 - estimatedSpotDiscount('m5')), 6);
    for (const discount of discounts) {
      expect(discount).toBeGreaterThanOrEqual(0.55);
      expect(discount).toBeLessThan(0.8);
    }
    expect(new Set(discounts).size).toBe(discounts.length);
  });
});
