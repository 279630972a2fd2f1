import { Labels } from '../../apis/labels.ts';
import { type InstanceFacts, instanceTypeNameParts } from './instance-facts.ts';

/** Karpenter writes names like `Radeon Pro V520` as `radeon-pro-v520` in label values. */
function labelCase(text: string): string {
  return text.toLowerCase().replaceAll(' ', '-');
}

/**
 * The single-valued labels every node of this type carries. Zone and capacity type belong to
 * offerings, so they are not here; labels whose fact is unknown are left out.
 */
export function instanceTypeLabels(facts: InstanceFacts): Record<string, string> {
  const parts = instanceTypeNameParts(facts.name);
  const labels: Record<string, string> = {
    [Labels.instanceType]: facts.name,
    [Labels.arch]: facts.architecture,
    [Labels.os]: 'linux',
    [Labels.instanceCategory]: parts.category,
    [Labels.instanceFamily]: parts.family,
    [Labels.instanceGeneration]: parts.generation,
    [Labels.instanceSize]: parts.size,
    [Labels.instanceCpu]: String(facts.vcpus),
    [Labels.instanceMemory]: String(facts.memoryMiB),
    [Labels.instanceCapabilityFlex]: String(parts.family.endsWith('-flex')),
    // Skyscale launches shared-tenancy instances only.
    [Labels.instanceTenancy]: 'default',
  };
  if (facts.cpuManufacturer)
    labels[Labels.instanceCpuManufacturer] = labelCase(facts.cpuManufacturer);
  if (facts.hypervisor) labels[Labels.instanceHypervisor] = facts.hypervisor;
  if (facts.networkBandwidthMbps !== undefined) {
    labels[Labels.instanceNetworkBandwidth] = String(facts.networkBandwidthMbps);
  }
  if (facts.localNvmeGB) labels[Labels.instanceLocalNvme] = String(facts.localNvmeGB);
  if (facts.gpu) {
    labels[Labels.instanceGpuName] = labelCase(facts.gpu.name);
    labels[Labels.instanceGpuManufacturer] = labelCase(facts.gpu.manufacturer);
    labels[Labels.instanceGpuCount] = String(facts.gpu.count);
    labels[Labels.instanceGpuMemory] = String(facts.gpu.memoryMiB);
  }
  if (facts.accelerator) {
    labels[Labels.instanceAcceleratorName] = labelCase(facts.accelerator.name);
    labels[Labels.instanceAcceleratorManufacturer] = labelCase(facts.accelerator.manufacturer);
    labels[Labels.instanceAcceleratorCount] = String(facts.accelerator.count);
  }
  return labels;
}
