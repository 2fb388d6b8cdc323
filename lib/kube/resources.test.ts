import { describe, expect, it } from 'vitest';
import { clusterKindFromVersion, labelSelectorQuery } from './resources';

describe('labelSelectorQuery', () => {
  it("writes matchLabels and every matchExpressions operator in the API server's selector syntax", () => {
    expect(
      labelSelectorQuery({
        matchLabels: { 'app.kubernetes.io/name': 'eks-pod-identity-agent' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'zone', operator: 'NotIn', values: ['x'] },
          { key: 'managed', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app.kubernetes.io/name=eks-pod-identity-agent,tier in (a,b),zone notin (x),managed,!legacy');
    expect(labelSelectorQuery(undefined)).toBe('');
  });
});

describe('clusterKindFromVersion', () => {
  it('tells K3s, RKE2 and EKS from their version strings', () => {
    expect(clusterKindFromVersion('v1.30.4+k3s1')).toBe('k3s');
    expect(clusterKindFromVersion('v1.30.4+rke2r1')).toBe('rke2');
    expect(clusterKindFromVersion('v1.31.4-eks-2d5f260')).toBe('eks');
    expect(clusterKindFromVersion('v1.31.2')).toBe('kubernetes');
  });
});
