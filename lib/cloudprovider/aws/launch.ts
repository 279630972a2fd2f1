/**
 * create(): pick the capacity type and offerings, make sure the launch templates exist, call
 * CreateFleet, and on capacity errors mark the offerings unavailable and try the rest.
 */
import {
  CreateFleetCommand,
  type CreateFleetCommandInput,
  type CreateFleetCommandOutput,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { Labels } from '../../apis/labels.ts';
import type { NodeClaim } from '../../apis/nodeclaim.ts';
import { allocatable } from '../capacity.ts';
import type { CloudInstance, LaunchedInstance } from '../cloud-provider.ts';
import { CloudProviderError, InsufficientCapacityError, type OfferingKey } from '../errors.ts';
import type { InstanceType } from '../types.ts';
import { awsErrorCode, isCapacityErrorCode, isLaunchTemplateNotFoundCode } from './ec2-errors.ts';
import { createFleetInput, readFleetOutput, type FleetError } from './fleet.ts';
import { providerIdOf } from './instances.ts';
import type { LaunchContext } from './launch-context.ts';
import { launchTemplatesFor } from './node-launch-templates.ts';
import {
  compatibleOfferings,
  planLaunch,
  labelsSatisfy,
  type LaunchCandidate,
} from '../offering-selection.ts';
import { subnetPerZone } from './subnets.ts';
import { instanceTags } from './tags.ts';

function offeringKey({ instanceType, offering }: LaunchCandidate): OfferingKey {
  return {
    instanceType: instanceType.name,
    zone: offering.zone,
    capacityType: offering.capacityType,
  };
}

/** A launched instance with what the NodeClaim needs from its instance type. */
export function launchedInstance(
  instance: CloudInstance,
  instanceType: InstanceType,
): LaunchedInstance {
  return {
    ...instance,
    labels: {
      ...instanceType.labels,
      [Labels.zone]: instance.zone,
      [Labels.capacityType]: instance.capacityType,
    },
    capacity: instanceType.capacity,
    allocatable: allocatable(instanceType),
  };
}

function launched(
  candidate: LaunchCandidate,
  instanceId: string,
  imageId: string,
  nodeClaim: NodeClaim,
): LaunchedInstance {
  const { instanceType, offering } = candidate;
  const nodePoolName = nodeClaim.metadata.labels?.[Labels.nodePool];
  const instance: CloudInstance = {
    providerID: providerIdOf(offering.zone, instanceId),
    instanceID: instanceId,
    instanceType: instanceType.name,
    zone: offering.zone,
    capacityType: offering.capacityType,
    imageID: imageId,
    state: 'pending',
    ...(nodeClaim.metadata.name && { nodeClaimName: nodeClaim.metadata.name }),
    ...(nodePoolName && { nodePoolName }),
  };
  return launchedInstance(instance, instanceType);
}

/** EC2 reports a missing launch template either per override or, for the whole request, as an exception. */
async function sendFleet(
  ec2: EC2Client,
  input: CreateFleetCommandInput,
): Promise<Pick<CreateFleetCommandOutput, 'Instances' | 'Errors'>> {
  try {
    return await ec2.send(new CreateFleetCommand(input));
  } catch (error) {
    const code = awsErrorCode(error);
    if (!isLaunchTemplateNotFoundCode(code)) throw error;
    return { Errors: [{ ErrorCode: code, ErrorMessage: (error as Error).message }] };
  }
}

function describeErrors(errors: readonly FleetError[]): string {
  return errors
    .map(
      (error) =>
        `${error.code} (${error.instanceType ?? '?'} in ${error.zone ?? '?'}): ${error.message}`,
    )
    .join('; ');
}

/** Launches one instance for the NodeClaim, falling back across offerings as capacity errors come in. */
export async function launchNodeClaim(
  context: LaunchContext,
  nodeClaim: NodeClaim,
): Promise<LaunchedInstance> {
  const { caches, resolution } = context;
  const unavailable = caches.unavailableOfferings;
  const subnetsByZone = subnetPerZone(resolution.subnets);
  const subnetZones = new Map(resolution.subnets.map((subnet) => [subnet.id, subnet.zone]));
  const exhausted: OfferingKey[] = [];
  let recreatedTemplates = false;
  for (;;) {
    const candidates = compatibleOfferings(
      context.instanceTypes,
      nodeClaim.spec.requirements,
    ).filter(
      (candidate) =>
        subnetsByZone.has(candidate.offering.zone) &&
        !unavailable.isUnavailable(offeringKey(candidate)) &&
        resolution.amis.some((ami) =>
          labelsSatisfy(ami.requirements, candidate.instanceType.labels),
        ),
    );
    const plan = planLaunch(candidates, nodeClaim.spec.requirements);
    if (!plan) {
      throw new InsufficientCapacityError(
        `no offering the NodeClaim "${nodeClaim.metadata.name}" allows has capacity`,
        exhausted,
      );
    }
    const { capacityType, candidates: chosen } = plan;
    const templates = await launchTemplatesFor(context, nodeClaim, chosen, capacityType);
    const input = createFleetInput({
      launchTemplates: templates,
      capacityType,
      subnetsByZone,
      tags: instanceTags({
        clusterName: context.settings.clusterName,
        nodePool: nodeClaim.metadata.labels?.[Labels.nodePool] ?? '',
        nodeClaim: nodeClaim.metadata.name ?? '',
        nodeClass: context.nodeClass.metadata.name ?? '',
        ...(context.nodeClass.spec.tags && { nodeClassTags: context.nodeClass.spec.tags }),
      }),
      nodeClaimUid: nodeClaim.metadata.uid ?? nodeClaim.metadata.name ?? '',
    });
    const output = await context.throttled('CreateFleet', () => sendFleet(context.ec2, input));
    const outcome = readFleetOutput(output, capacityType, subnetZones);
    const candidate =
      outcome.instanceId &&
      chosen.find(
        (option) =>
          option.instanceType.name === outcome.instanceType &&
          option.offering.zone === outcome.zone,
      );
    if (outcome.instanceId && candidate) {
      const template = templates.find((entry) => entry.candidates.includes(candidate));
      const imageId = resolution.amis.find((ami) =>
        labelsSatisfy(ami.requirements, candidate.instanceType.labels),
      )?.id;
      context.logger.info('launched instance', {
        nodeClaim: nodeClaim.metadata.name,
        instanceId: outcome.instanceId,
        launchTemplate: template?.name,
      });
      return launched(candidate, outcome.instanceId, imageId ?? '', nodeClaim);
    }
    if (
      !recreatedTemplates &&
      outcome.errors.some((error) => isLaunchTemplateNotFoundCode(error.code))
    ) {
      for (const template of templates) caches.launchTemplates.invalidate(template.name);
      recreatedTemplates = true;
      continue;
    }
    const capacityErrors = outcome.errors.filter((error) => isCapacityErrorCode(error.code));
    const marked = chosen.filter((option) =>
      capacityErrors.some(
        (error) =>
          error.instanceType === option.instanceType.name &&
          (error.zone === undefined || error.zone === option.offering.zone),
      ),
    );
    if (marked.length === 0) {
      throw new CloudProviderError(
        `CreateFleet launched nothing: ${describeErrors(outcome.errors) || 'no errors reported'}`,
      );
    }
    for (const option of marked) {
      unavailable.markUnavailable(offeringKey(option));
      exhausted.push(offeringKey(option));
    }
    context.logger.warn('offerings out of capacity; trying the others', {
      nodeClaim: nodeClaim.metadata.name,
      errors: describeErrors(capacityErrors),
    });
  }
}
