import { describe, expect, it } from 'vitest';
import { driftReason } from '../../../../lib/cloudprovider/aws/drift.ts';

const resolution = {
  amis: [{ id: 'ami-new', requirements: [], deprecated: false }],
  subnets: [{ id: 'subnet-a', zone: 'us-east-1a', availableIps: 10 }],
  securityGroups: [{ id: 'sg-1' }, { id: 'sg-2' }],
};
const placement = { imageId: 'ami-new', subnetId: 'subnet-a', securityGroupIds: ['sg-2', 'sg-1'] };

describe('driftReason', () => {
  it('finds no drift when the instance matches what the node class selects', () => {
    expect(driftReason(placement, resolution)).toBeUndefined();
  });

  it('reports AMI, subnet and security-group drift, AMI first', () => {
    expect(
      driftReason({ ...placement, imageId: 'ami-old', subnetId: 'subnet-z' }, resolution),
    ).toBe('AMIDrift');
    expect(driftReason({ ...placement, subnetId: 'subnet-z' }, resolution)).toBe('SubnetDrift');
    expect(driftReason({ ...placement, securityGroupIds: ['sg-1'] }, resolution)).toBe(
      'SecurityGroupDrift',
    );
    expect(
      driftReason({ ...placement, securityGroupIds: ['sg-1', 'sg-2', 'sg-3'] }, resolution),
    ).toBe('SecurityGroupDrift');
  });

  it('does not call drift on parts the node class resolves to nothing', () => {
    expect(
      driftReason({ ...placement, imageId: 'ami-old' }, { ...resolution, amis: [] }),
    ).toBeUndefined();
  });
});
