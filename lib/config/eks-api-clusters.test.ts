import { describe, expect, it } from 'vitest';
import { parseConsoleConfig } from './console-config';
import { resolveClusterTargets } from './cluster-targets';

const ARN = 'arn:aws:eks:eu-west-1:444455556666:cluster/payments';

describe('clusters named by arn or found by discover', () => {
  it('an arn alone is an EKS cluster reached through the EKS API, with no kubeconfig', () => {
    const config = parseConsoleConfig(
      { clusters: [{ name: 'payments', arn: ARN, assumeRoleArn: 'arn:aws:iam::444455556666:role/reader' }] },
      'console.yaml',
    );
    expect(resolveClusterTargets(config, { HOME: '/nonexistent' })).toEqual([
      {
        name: 'payments',
        kind: 'eks',
        context: '',
        eks: { name: 'payments', region: 'eu-west-1', account: '444455556666' },
        viaEksApi: true,
        assumeRoleArn: 'arn:aws:iam::444455556666:role/reader',
      },
    ]);
  });

  it.each([
    [{ name: 'p', arn: 'arn:aws:eks:eu-west-1:4444:cluster/p' }, 'clusters[0].arn', 'must be an EKS cluster ARN'],
    [{ name: 'p', arn: ARN, context: 'x' }, 'clusters[0].arn', 'remove context'],
    [{ name: 'p', arn: ARN, kind: 'k3s' }, 'clusters[0].kind', 'an arn names an EKS cluster'],
    [{ discover: { accounts: [], regions: ['eu-west-1'] } }, 'clusters[0].discover.accounts', 'name at least one account'],
    [
      { discover: { accounts: [{ id: '111122223333', assumeRoleArn: 'arn:aws:iam::444455556666:role/r' }], regions: ['eu-west-1'] } },
      'clusters[0].discover.accounts[0].assumeRoleArn',
      'the role is in account 444455556666, not 111122223333',
    ],
  ])('refuses %j, naming where and why', (entry, where, why) => {
    let message = '';
    try {
      parseConsoleConfig({ clusters: [entry] }, 'console.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(where);
    expect(message).toContain(why);
  });

  it('a discover entry yields no target by itself (its clusters come from eks:ListClusters)', () => {
    const config = parseConsoleConfig(
      { clusters: [{ discover: { accounts: ['111122223333'], regions: ['us-east-1'] } }, { name: 'payments', arn: ARN }] },
      'console.yaml',
    );
    expect(resolveClusterTargets(config, { HOME: '/nonexistent' }).map((target) => target.name)).toEqual(['payments']);
  });
});
