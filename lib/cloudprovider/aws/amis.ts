import {
  paginateDescribeImages,
  type EC2Client,
  type Filter,
  type Image,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { NodeSelectorRequirement } from '../../apis/core/node-selector.ts';
import type { EC2NodeClassSpec } from '../../apis/ec2nodeclass.ts';
import { Labels } from '../../apis/labels.ts';
import { aliasVariants } from './ami-alias-parameters.ts';
import { awsErrorCode } from './ec2-errors.ts';
import { tagFilters } from './selector-filters.ts';

export interface ResolvedAmi {
  readonly id: string;
  readonly name?: string;
  /** The instance types this AMI serves (architecture, and accelerators for alias variants). */
  readonly requirements: NodeSelectorRequirement[];
  readonly deprecated: boolean;
}

export interface AmiClients {
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
}

type AmiTerm = EC2NodeClassSpec['amiSelectorTerms'][number];

const ARCHITECTURES: Readonly<Record<string, string>> = { x86_64: 'amd64', arm64: 'arm64' };

async function parameterValue(ssm: SSMClient, name: string): Promise<string | undefined> {
  try {
    return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (error) {
    if (awsErrorCode(error) === 'ParameterNotFound') return undefined;
    throw error;
  }
}

async function describeImages(
  ec2: EC2Client,
  filters: Filter[],
  owners?: string[],
): Promise<Image[]> {
  const images: Image[] = [];
  const input = { Filters: filters, ...(owners ? { Owners: owners } : {}) };
  for await (const page of paginateDescribeImages({ client: ec2 }, input))
    images.push(...(page.Images ?? []));
  return images;
}

function isDeprecated(image: Image, now: Date): boolean {
  return image.DeprecationTime !== undefined && new Date(image.DeprecationTime) <= now;
}

async function aliasAmis(
  clients: AmiClients,
  alias: string,
  kubernetesVersion: string,
  now: Date,
): Promise<ResolvedAmi[]> {
  const variants = aliasVariants(alias, kubernetesVersion);
  const ids = await Promise.all(
    variants.map((variant) => parameterValue(clients.ssm, variant.parameter)),
  );
  const found = ids.filter((id): id is string => id !== undefined);
  if (found.length === 0) return [];
  const images = new Map(
    (await describeImages(clients.ec2, [{ Name: 'image-id', Values: found }])).map((image) => [
      image.ImageId,
      image,
    ]),
  );
  return variants.flatMap((variant, index) => {
    const image = images.get(ids[index]);
    if (!image?.ImageId) return [];
    return [
      {
        id: image.ImageId,
        name: image.Name,
        requirements: variant.requirements,
        deprecated: isDeprecated(image, now),
      },
    ];
  });
}

async function termImages(clients: AmiClients, term: AmiTerm): Promise<Image[]> {
  if (term.id) return describeImages(clients.ec2, [{ Name: 'image-id', Values: [term.id] }]);
  if (term.ssmParameter) {
    const id = await parameterValue(clients.ssm, term.ssmParameter);
    return id ? describeImages(clients.ec2, [{ Name: 'image-id', Values: [id] }]) : [];
  }
  const filters = tagFilters(term.tags);
  if (term.name) filters.push({ Name: 'name', Values: [term.name] });
  return describeImages(clients.ec2, filters, term.owner ? [term.owner] : ['self', 'amazon']);
}

/**
 * Images matching the terms, reduced to the newest usable image per architecture (a deprecated
 * image is used only when its architecture has nothing else).
 */
async function selectedAmis(
  clients: AmiClients,
  terms: readonly AmiTerm[],
  now: Date,
): Promise<ResolvedAmi[]> {
  const images = (await Promise.all(terms.map((term) => termImages(clients, term)))).flat();
  const ranked = images
    .filter((image) => image.ImageId && ARCHITECTURES[image.Architecture ?? ''])
    .sort(
      (a, b) =>
        Number(isDeprecated(a, now)) - Number(isDeprecated(b, now)) ||
        (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
        (a.ImageId ?? '').localeCompare(b.ImageId ?? ''),
    );
  const newestPerArchitecture = new Map<string, ResolvedAmi>();
  for (const image of ranked) {
    const architecture = ARCHITECTURES[image.Architecture ?? ''] ?? '';
    if (newestPerArchitecture.has(architecture)) continue;
    newestPerArchitecture.set(architecture, {
      id: image.ImageId ?? '',
      name: image.Name,
      requirements: [{ key: Labels.arch, operator: 'In', values: [architecture] }],
      deprecated: isDeprecated(image, now),
    });
  }
  return [...newestPerArchitecture.values()];
}

export async function resolveAmis(
  clients: AmiClients,
  terms: readonly AmiTerm[],
  kubernetesVersion: string,
  now: Date,
): Promise<ResolvedAmi[]> {
  const alias = terms.find((term) => term.alias)?.alias;
  return alias
    ? aliasAmis(clients, alias, kubernetesVersion, now)
    : selectedAmis(clients, terms, now);
}
