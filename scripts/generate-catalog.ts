/**
 * Generates the embedded instance-type catalog of one region from the shared EC2 facts file:
 *
 *   npm run catalog:generate -- --region us-east-1 [--source ../shared/data/ec2-catalog.json]
 *
 * It writes facts only (specs, ENI limits, zones) plus on-demand prices. Spot prices are not
 * stored: they change hourly, come from EC2 at run time, and the loader estimates them
 * (lib/cloudprovider/ec2-model/catalog/spot-price-estimate.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  type Catalog,
  type CatalogEntry,
  CatalogSchema,
} from '../lib/cloudprovider/ec2-model/catalog/catalog-schema.ts';
import { encodeCatalog } from '../lib/cloudprovider/ec2-model/catalog/catalog-encoding.ts';

const SourceRegionSchema = z.object({
  zones: z.array(z.string()),
  onDemandUSDPerHour: z.number().nullable(),
});

const SourceTypeSchema = z.object({
  name: z.string(),
  vcpu: z.int().positive(),
  memoryMiB: z.int().positive(),
  architectures: z.array(z.string()).min(1),
  cpuManufacturer: z.string().nullable(),
  bareMetal: z.boolean(),
  hypervisor: z.string(),
  usageClasses: z.array(z.string()),
  maxENIs: z.int().nonnegative(),
  ipv4PerENI: z.int().positive(),
  networkPerformance: z.string(),
  localStorageGB: z.number().nonnegative(),
  localStorageNvme: z.boolean(),
  gpu: z
    .object({ count: z.int(), manufacturer: z.string(), name: z.string(), memoryMiB: z.int() })
    .nullable(),
  accelerator: z.object({ count: z.int(), name: z.string(), manufacturer: z.string() }).nullable(),
  vpc: z.object({ trunking: z.boolean(), branchEnis: z.int().nonnegative() }).nullable(),
  regions: z.record(z.string(), SourceRegionSchema),
});

const SourceSchema = z.object({
  sources: z.record(z.string(), z.string()),
  instanceTypes: z.array(SourceTypeSchema),
});

type SourceType = z.infer<typeof SourceTypeSchema>;

/** The region whose prices stand in when the source has none for the requested region. */
const PRICE_FALLBACK_REGION = 'us-east-1';

function architectureOf(source: SourceType): CatalogEntry['architecture'] | undefined {
  if (source.architectures.includes('arm64')) return 'arm64';
  if (source.architectures.includes('x86_64')) return 'amd64';
  return undefined; // Mac (x86_64_mac, arm64_mac) and i386-only types cannot run EKS nodes.
}

/**
 * EC2 states a sustained figure as "25 Gigabit" or "4x 100 Gigabit"; "Up to 10 Gigabit" is a
 * burst ceiling and "Moderate" has no figure, so those give no bandwidth label.
 */
export function sustainedBandwidthMbps(networkPerformance: string): number | undefined {
  const match = /^(?:(\d+)x )?(\d+(?:\.\d+)?) Gigabit$/.exec(networkPerformance);
  if (!match) return undefined;
  return Math.round(Number(match[1] ?? 1) * Number(match[2]) * 1000);
}

/**
 * The source counts ENIs across all network cards, but the VPC CNI uses only the default card.
 * When the performance text names the card count ("4x 100 Gigabit", p4d) the ENIs are split
 * evenly; other multi-card types (p5, p6, g6e.48xlarge) keep the total, overstating pod density.
 */
function enisOnDefaultCard(source: SourceType): number {
  const cards = /^(\d+)x /.exec(source.networkPerformance);
  return cards ? Math.floor(source.maxENIs / Number(cards[1])) : source.maxENIs;
}

function entryOf(
  source: SourceType,
  region: string,
  zoneIndex: ReadonlyMap<string, number>,
): CatalogEntry | undefined {
  const architecture = architectureOf(source);
  const offered = source.regions[region];
  const price =
    offered?.onDemandUSDPerHour ?? source.regions[PRICE_FALLBACK_REGION]?.onDemandUSDPerHour;
  const capacityTypes = (['on-demand', 'spot'] as const).filter((type) =>
    source.usageClasses.includes(type),
  );
  if (!architecture || !offered || offered.zones.length === 0 || !price) return undefined;
  if (capacityTypes.length === 0) return undefined;
  const entry: CatalogEntry = {
    name: source.name,
    vcpus: source.vcpu,
    memoryMiB: source.memoryMiB,
    architecture,
    bareMetal: source.bareMetal,
    maxEnis: enisOnDefaultCard(source),
    ipv4PerEni: source.ipv4PerENI,
    branchEnis: source.vpc?.trunking ? source.vpc.branchEnis : 0,
    // Every zone is in the index: it was built from these same lists.
    zones: offered.zones.map((zone) => zoneIndex.get(zone) ?? -1),
    capacityTypes,
    onDemandUSDPerHour: price,
  };
  if (source.cpuManufacturer) entry.cpuManufacturer = source.cpuManufacturer;
  if (source.hypervisor) entry.hypervisor = source.hypervisor;
  const bandwidth = sustainedBandwidthMbps(source.networkPerformance);
  if (bandwidth !== undefined) entry.networkBandwidthMbps = bandwidth;
  if (source.localStorageNvme && source.localStorageGB > 0)
    entry.localNvmeGB = source.localStorageGB;
  // The source records the memory of all GPUs together; labels carry one device's memory.
  // Fractional-GPU types (g6f) report 0 whole GPUs and get no GPU facts, as in EC2.
  if (source.gpu && source.gpu.count > 0)
    entry.gpu = { ...source.gpu, memoryMiB: source.gpu.memoryMiB / source.gpu.count };
  if (source.accelerator) entry.accelerator = source.accelerator;
  return entry;
}

export function generateCatalog(sourceDocument: unknown, region: string): Catalog {
  const source = SourceSchema.parse(sourceDocument);
  const zones = [
    ...new Set(source.instanceTypes.flatMap((type) => type.regions[region]?.zones ?? [])),
  ].sort();
  if (zones.length === 0) throw new Error(`the source has no instance types in region ${region}`);
  const zoneIndex = new Map(zones.map((zone, index) => [zone, index]));
  const instanceTypes = source.instanceTypes
    .map((type) => entryOf(type, region, zoneIndex))
    .filter((entry) => entry !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
  const borrowed = source.instanceTypes.filter(
    (type) => type.regions[region] && type.regions[region].onDemandUSDPerHour === null,
  ).length;
  const about = [
    `EC2 instance-type facts and on-demand Linux prices (USD/hour) for ${region},`,
    `generated by scripts/generate-catalog.ts from: ${Object.values(source.sources).join('; ')}.`,
    borrowed > 0 && region !== PRICE_FALLBACK_REGION
      ? `The source has no ${region} price for ${borrowed} types; those use ${PRICE_FALLBACK_REGION}'s.`
      : '',
    'Spot prices are not stored: the loader estimates them from the on-demand price.',
  ].filter(Boolean);
  return CatalogSchema.parse({ about: about.join(' '), region, zones, instanceTypes });
}

/** The name of the constant that holds a region's catalog, e.g. `US_EAST_1_CATALOG`. */
export function catalogConstant(region: string): string {
  return `${region.toUpperCase().replaceAll('-', '_')}_CATALOG`;
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length + 1 <= width) {
      lines[lines.length - 1] = `${last} ${word}`;
    } else lines.push(word);
  }
  return lines;
}

/** The TypeScript module that embeds the catalog, with what it holds said in its comment. */
export function catalogModule(catalog: Catalog): string {
  const summary =
    `${catalog.instanceTypes.length} instance types in ${catalog.zones.length} zones, ` +
    `encoded by encodeCatalog; read it with embeddedCatalog('${catalog.region}').`;
  const comment = wrap(`${catalog.about} ${summary}`, 96).map((line) => ` * ${line}`);
  return [
    '/**',
    ...comment,
    ' */',
    `export const ${catalogConstant(catalog.region)} =`,
    `  '${encodeCatalog(catalog)}';`,
    '',
  ].join('\n');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      region: { type: 'string' },
      source: { type: 'string', default: '../shared/data/ec2-catalog.json' },
      out: { type: 'string' },
    },
  });
  if (!values.region) throw new Error('--region is required, e.g. --region us-east-1');
  const catalog = generateCatalog(JSON.parse(readFileSync(values.source, 'utf8')), values.region);
  const out = values.out ?? `lib/cloudprovider/ec2-model/catalog/${values.region}.ts`;
  writeFileSync(out, catalogModule(catalog));
  console.log(
    `${out}: ${catalog.instanceTypes.length} instance types in ${catalog.zones.length} zones`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main();
  } catch (error) {
    console.error(`generate-catalog: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
