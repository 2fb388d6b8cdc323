import { associationSubject, makeFinding, type ServiceAccountRule } from '../rule-kit';

// PI011: the association is owned by an EKS add-on (ownerArn set): change it through the add-on.
export const pi011AddonOwnedAssociation: ServiceAccountRule = {
  code: 'PI011',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const a = ctx.association;
    if (!a?.ownerArn) return [];
    const addon = /:addon\/[^/]+\/([^/]+)/.exec(a.ownerArn)?.[1] ?? a.ownerArn;
    return [
      makeFinding(
        'PI011',
        associationSubject(ctx.cluster.name, a),
        `Association ${a.associationId} for ${a.namespace}/${a.serviceAccount} is owned by add-on ${addon}: change it through the add-on`,
        {
          associationId: a.associationId,
          ownerArn: a.ownerArn,
        },
      ),
    ];
  },
};
