import { describe, expect, it } from 'vitest';
import { aliasVariants } from '../../../../lib/cloudprovider/aws/ami-alias-parameters.ts';

describe('aliasVariants', () => {
  it('maps al2023@latest to the recommended EKS parameters per architecture and accelerator', () => {
    // Act
    const variants = aliasVariants('al2023@latest', '1.31');

    // Assess
    expect(variants.map((variant) => variant.parameter)).toEqual([
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/nvidia/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/neuron/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/arm64/standard/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/arm64/nvidia/recommended/image_id',
    ]);
    expect(variants[1]?.requirements).toEqual([
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Exists' },
    ]);
  });

  it('pins a version in the parameter name', () => {
    expect(aliasVariants('al2023@v20241106', '1.31')[0]?.parameter).toBe(
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.31-v20241106/image_id',
    );
    expect(
      aliasVariants('bottlerocket@v1.26.1', '1.31').map((variant) => variant.parameter),
    ).toEqual([
      '/aws/service/bottlerocket/aws-k8s-1.31/x86_64/1.26.1/image_id',
      '/aws/service/bottlerocket/aws-k8s-1.31-nvidia/x86_64/1.26.1/image_id',
      '/aws/service/bottlerocket/aws-k8s-1.31/arm64/1.26.1/image_id',
      '/aws/service/bottlerocket/aws-k8s-1.31-nvidia/arm64/1.26.1/image_id',
    ]);
  });
});
