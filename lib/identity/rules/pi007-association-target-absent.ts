import { associationSubject, makeFinding, type ServiceAccountRule } from '../rule-kit';

// PI007: the association names a namespace or service account that does not exist (allowed by EKS: it
// applies once they are created).
export const pi007AssociationTargetAbsent: ServiceAccountRule = {
  code: 'PI007',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const a = ctx.association;
    if (!a) return [];
    const namespaces = ctx.cluster.namespaces;
    let missing: 'namespace' | 'serviceaccount' | null = null;
    if (namespaces && !namespaces.has(a.namespace)) missing = 'namespace';
    else if (ctx.exists === false) missing = 'serviceaccount';
    if (!missing) return [];
    const what = missing === 'namespace' ? `namespace ${a.namespace}` : `service account ${a.namespace}/${a.serviceAccount}`;
    return [
      makeFinding(
        'PI007',
        associationSubject(ctx.cluster.name, a),
        `Association ${a.associationId} names ${what}, which does not exist in cluster ${ctx.cluster.name}`,
        {
          associationId: a.associationId,
          namespace: a.namespace,
          serviceAccount: a.serviceAccount,
          missing,
          roleArn: a.roleArn ?? null,
          createdAt: a.createdAt ?? null,
        },
        { type: 'delete-association', params: { cluster: ctx.cluster.name, associationId: a.associationId } },
      ),
    ];
  },
};
