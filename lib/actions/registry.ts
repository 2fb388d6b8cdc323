import 'server-only';
import { createAssociation } from './create-association';
import { deleteAssociation } from './delete-association';
import type { ActionDefinition } from './definition';
import { fixTrustPolicy } from './fix-trust-policy';
import { removeIrsaAnnotation } from './remove-irsa-annotation';
import { rollPods } from './roll-pods';
import type { ActionKind } from './schemas';
import { setStsRegionalEndpoints } from './set-sts-regional-endpoints';
import { updateAssociation } from './update-association';

export const ACTIONS: Record<ActionKind, ActionDefinition> = {
  'create-association': createAssociation as unknown as ActionDefinition,
  'update-association': updateAssociation as unknown as ActionDefinition,
  'delete-association': deleteAssociation as unknown as ActionDefinition,
  'fix-trust-policy': fixTrustPolicy as unknown as ActionDefinition,
  'set-sts-regional-endpoints': setStsRegionalEndpoints as unknown as ActionDefinition,
  'remove-irsa-annotation': removeIrsaAnnotation as unknown as ActionDefinition,
  'roll-pods': rollPods as unknown as ActionDefinition,
};
