/**
 * create(): pick the capacity type and offerings, make one CreateFleet attempt, and on capacity
 * errors mark the offerings unavailable and try the rest.
 */
import type { EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import { ec2NodeClassHashAnnotations } from '../../apis/ec2nodeclass-hash.ts';
import { Labels } from '../../apis/labels.ts';
import type { NodeClaim } from '../../apis/nodeclaim.ts';
import { allocatable } from '../types.ts';
import type { CloudInstance, LaunchedInstance } from '../cloud-provider.ts';
import { InsufficientCapacityError, type OfferingKey } from '../errors.ts';
import type { InstanceType } from '../types.ts';
import { describeErrors, fleetAttempt, type FleetSelection } from './fleet-attempt.ts';
import { providerIdOf } from './instances.ts';
import type { LaunchContext } from './launch-context.ts';
import {
  compatibleOfferings,
  labelsSatisfy,
  planLaunch,
  type LaunchCandidate,
} from '../ec2-model/offering-selection.ts';
import { subnetPerZone } from './subnets.ts';

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
  nodeClass: EC2NodeClass,
  reservationId?: string,
): LaunchedInstance {
  return {
    ...instance,
    annotations: ec2NodeClassHashAnnotations(nodeClass),
    labels: {
      ...instanceType.labels,
      [Labels.zone]: instance.zone,
      [Labels.capacityType]: instance.capacityType,
      ...(reservationId && { [Labels.capacityReservationId]: reservationId }),
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
  nodeClass: EC2NodeClass,
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
  return launchedInstance(instance, instanceType, nodeClass, offering.reservationId);
}

/** The offerings the claim may still launch into, and the capacity type and subset to ask for. */
function selectOfferings(
  context: LaunchContext,
  nodeClaim: NodeClaim,
  subnets: Pick<FleetSelection, 'subnetsByZone' | 'subnetZones'>,
  exhausted: readonly OfferingKey[],
): FleetSelection {
  const { resolution, caches } = context;
  const available = new Map(
    resolution.capacityReservations.map(({ id, availableInstanceCount }) => [
      id,
      availableInstanceCount,
    ]),
  );
  const hasRoom = (reservationId: string | undefined): boolean =>
    reservationId === undefined ||
    caches.reservationLaunches.remaining(reservationId, available.get(reservationId) ?? 0) > 0;
  const candidates = compatibleOfferings(context.instanceTypes, nodeClaim.spec.requirements).filter(
    (candidate) =>
      subnets.subnetsByZone.has(candidate.offering.zone) &&
      !caches.unavailableOfferings.isUnavailable(offeringKey(candidate)) &&
      hasRoom(candidate.offering.reservationId) &&
      resolution.amis.some((ami) => labelsSatisfy(ami.requirements, candidate.instanceType.labels)),
  );
  const plan = planLaunch(candidates, nodeClaim.spec.requirements);
  if (!plan) {
    throw new InsufficientCapacityError(
      `no offering the NodeClaim "${nodeClaim.metadata.name}" allows has capacity`,
      exhausted,
    );
  }
  const reservationId = plan.candidates[0]?.offering.reservationId;
  if (plan.capacityType !== 'reserved' || reservationId === undefined)
    return { ...subnets, capacityType: plan.capacityType, chosen: plan.candidates };
  // Launches run concurrently: take the reservation's place now, before CreateFleet, so two
  // claims never count on its last instance. One reservation per request, the cheapest.
  caches.reservationLaunches.record(reservationId);
  return {
    ...subnets,
    capacityType: 'reserved',
    chosen: plan.candidates.filter(({ offering }) => offering.reservationId === reservationId),
  };
}

/** Launches one instance for the NodeClaim, falling back across offerings as capacity errors come in. */
export async function launchInstance(
  context: LaunchContext,
  nodeClaim: NodeClaim,
): Promise<LaunchedInstance> {
  const { caches, resolution } = context;
  const subnets = {
    subnetsByZone: subnetPerZone(resolution.subnets),
    subnetZones: new Map(resolution.subnets.map((subnet) => [subnet.id, subnet.zone])),
  };
  const exhausted: OfferingKey[] = [];
  let recreatedTemplates = false;
  for (let attempt = 0; ; attempt++) {
    const selection = selectOfferings(context, nodeClaim, subnets, exhausted);
    const result = await fleetAttempt(context, nodeClaim, selection, attempt, !recreatedTemplates);
    switch (result.kind) {
      case 'launched': {
        const { candidate, instanceId, template } = result;
        const imageId = resolution.amis.find((ami) =>
          labelsSatisfy(ami.requirements, candidate.instanceType.labels),
        )?.id;
        context.logger.info('launched instance', {
          nodeClaim: nodeClaim.metadata.name,
          instanceId,
          launchTemplate: template?.name,
        });
        return launched(candidate, instanceId, imageId ?? '', nodeClaim, context.nodeClass);
      }
      case 'token-reused': {
        // An earlier run sent this token: its instance, if it launched one, carries the claim's tag.
        const earlier = await context.launchedFor(nodeClaim);
        if (earlier) return earlier;
        break;
      }
      case 'templates-missing':
        for (const template of result.templates) caches.launchTemplates.invalidate(template.name);
        recreatedTemplates = true;
        break;
      case 'out-of-capacity':
        for (const option of result.exhausted) {
          caches.unavailableOfferings.markUnavailable(offeringKey(option));
          exhausted.push(offeringKey(option));
        }
        context.logger.warn('offerings out of capacity; trying the others', {
          nodeClaim: nodeClaim.metadata.name,
          errors: describeErrors(result.errors),
        });
        break;
    }
  }
}
