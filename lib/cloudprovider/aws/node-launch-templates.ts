/**
 * The launch templates one CreateFleet request needs: one per (AMI, max pods), since both change
 * the image or the user data, each carrying the NodeClaim's labels and taints in its user data.
 */
import type { CapacityType } from '../../apis/labels.ts';
import { Labels, Taints } from '../../apis/labels.ts';
import type { EC2NodeClass } from '../../apis/ec2nodeclass.ts';
import type { NodeClaim } from '../../apis/nodeclaim.ts';
import type { FleetLaunchTemplate } from './fleet.ts';
import type { LaunchContext } from './launch-context.ts';
import { defaultBlockDeviceMappings, ensureLaunchTemplate } from './launch-template.ts';
import { labelsSatisfy, type LaunchCandidate } from '../ec2-model/offering-selection.ts';
import { clusterTags, NODECLASS_TAG } from './tags.ts';
import { userDataFor } from './user-data/index.ts';

function nodeLabels(
  nodeClaim: NodeClaim,
  nodeClass: EC2NodeClass,
  capacityType: CapacityType,
): Record<string, string> {
  return {
    ...nodeClaim.metadata.labels,
    [Labels.ec2NodeClass]: nodeClass.metadata.name ?? '',
    [Labels.capacityType]: capacityType,
  };
}

export async function launchTemplatesFor(
  context: LaunchContext,
  nodeClaim: NodeClaim,
  candidates: readonly LaunchCandidate[],
  capacityType: CapacityType,
): Promise<FleetLaunchTemplate[]> {
  const { nodeClass, resolution, settings } = context;
  const groups = new Map<
    string,
    { imageId: string; maxPods: number; reservationId?: string; candidates: LaunchCandidate[] }
  >();
  for (const candidate of candidates) {
    const ami = resolution.amis.find((image) =>
      labelsSatisfy(image.requirements, candidate.instanceType.labels),
    );
    if (!ami) continue;
    const maxPods = candidate.instanceType.capacity.pods ?? 0;
    // A reserved launch targets its reservation through the template: one template per reservation.
    const { reservationId } = candidate.offering;
    const key = `${ami.id}/${maxPods}/${reservationId ?? ''}`;
    const group = groups.get(key) ?? {
      imageId: ami.id,
      maxPods,
      ...(reservationId && { reservationId }),
      candidates: [],
    };
    group.candidates.push(candidate);
    groups.set(key, group);
  }
  const taints = [
    ...(nodeClaim.spec.taints ?? []),
    ...(nodeClaim.spec.startupTaints ?? []),
    Taints.unregistered,
  ];
  return Promise.all(
    [...groups.values()].map(async (group) => {
      const userData = userDataFor(resolution.amiFamily, {
        cluster: {
          name: settings.clusterName,
          endpoint: settings.clusterEndpoint,
          certificateAuthority: settings.clusterCertificateAuthority,
          serviceCidr: settings.clusterServiceCidr,
        },
        labels: {
          ...nodeLabels(nodeClaim, nodeClass, capacityType),
          ...(group.reservationId && { [Labels.capacityReservationId]: group.reservationId }),
        },
        taints,
        maxPods: group.maxPods,
        ...(nodeClass.spec.kubelet && { kubelet: nodeClass.spec.kubelet }),
        ...(nodeClass.spec.userData !== undefined && { customUserData: nodeClass.spec.userData }),
        ...(nodeClass.spec.instanceStorePolicy && {
          instanceStorePolicy: nodeClass.spec.instanceStorePolicy,
        }),
      });
      const name = await context.throttled('CreateLaunchTemplate', () =>
        ensureLaunchTemplate(
          context.ec2,
          {
            clusterName: settings.clusterName,
            imageId: group.imageId,
            userData,
            blockDeviceMappings:
              nodeClass.spec.blockDeviceMappings ??
              defaultBlockDeviceMappings(resolution.amiFamily),
            metadataOptions: nodeClass.spec.metadataOptions,
            securityGroupIds: resolution.securityGroups.map((group) => group.id),
            instanceProfile: resolution.instanceProfile ?? '',
            capacityType,
            tags: {
              ...nodeClass.spec.tags,
              [NODECLASS_TAG]: nodeClass.metadata.name ?? '',
              ...clusterTags(settings.clusterName),
            },
            ...(nodeClass.spec.detailedMonitoring !== undefined && {
              detailedMonitoring: nodeClass.spec.detailedMonitoring,
            }),
            ...(nodeClass.spec.associatePublicIPAddress !== undefined && {
              associatePublicIPAddress: nodeClass.spec.associatePublicIPAddress,
            }),
            ...(group.reservationId && { capacityReservationId: group.reservationId }),
          },
          context.caches.launchTemplates,
        ),
      );
      return { name, candidates: group.candidates };
    }),
  );
}
