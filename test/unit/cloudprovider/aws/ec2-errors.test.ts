import { describe, expect, it } from 'vitest';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import {
  awsErrorCode,
  isCapacityErrorCode,
  isInstanceNotFoundError,
  isLaunchTemplateNotFoundCode,
  isThrottlingError,
} from '../../../../lib/cloudprovider/aws/ec2-errors.ts';

function ec2Error(code: string): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

describe('EC2 error classification', () => {
  it.each([
    'InsufficientInstanceCapacity',
    'UnfulfillableCapacity',
    'MaxSpotInstanceCountExceeded',
    'VcpuLimitExceeded',
    'InsufficientFreeAddressesInSubnet',
    'Unsupported',
    'ReservationCapacityExceeded',
  ])('treats %s as a capacity error', (code) => {
    expect(isCapacityErrorCode(code)).toBe(true);
  });

  it('does not treat other codes as capacity errors', () => {
    expect(isCapacityErrorCode('InvalidParameterValue')).toBe(false);
    expect(isCapacityErrorCode('RequestLimitExceeded')).toBe(false);
    expect(isCapacityErrorCode(undefined)).toBe(false);
  });

  it('reads the code of an SDK exception and ignores plain errors', () => {
    // Prepare
    const sdkError = ec2Error('RequestLimitExceeded');
    const plainError = Object.assign(new Error('boom'), { name: 'RequestLimitExceeded' });

    // Act / Assess
    expect(awsErrorCode(sdkError)).toBe('RequestLimitExceeded');
    expect(isThrottlingError(sdkError)).toBe(true);
    expect(awsErrorCode(plainError)).toBeUndefined();
    expect(isThrottlingError(plainError)).toBe(false);
  });

  it('recognises a missing instance and a missing launch template', () => {
    expect(isInstanceNotFoundError(ec2Error('InvalidInstanceID.NotFound'))).toBe(true);
    expect(isInstanceNotFoundError(ec2Error('InvalidParameterValue'))).toBe(false);
    expect(isLaunchTemplateNotFoundCode('InvalidLaunchTemplateName.NotFoundException')).toBe(true);
    expect(isLaunchTemplateNotFoundCode('InvalidLaunchTemplateId.NotFound')).toBe(true);
    expect(isLaunchTemplateNotFoundCode('InsufficientInstanceCapacity')).toBe(false);
  });
});
