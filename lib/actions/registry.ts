import 'server-only';
import { createAssociation } from './create-association/action';
import { deleteAssociation } from './delete-association/action';
import type { ActionDefinition } from './definition';
import { fixTrustPolicy } from './fix-trust-policy/action';
import { removeIrsaAnnotation } from './remove-irsa-annotation/action';
import { rollPods } from './roll-pods/action';
import type { ActionKind } from './schemas';
import { setStsRegionalEndpoints } from './set-sts-regional-endpoints/action';
import { updateAssociation } from './update-association/action';

// Every action by its kind. The type says each entry is the definition of its own kind, so the runner can look
// one up by a request's kind and call it with that kind's params, without asking which action it is.

const definitions = {
  'create-association': createAssociation,
  'update-association': updateAssociation,
  'delete-association': deleteAssociation,
  'fix-trust-policy': fixTrustPolicy,
  'set-sts-regional-endpoints': setStsRegionalEndpoints,
  'remove-irsa-annotation': removeIrsaAnnotation,
  'roll-pods': rollPods,
};

/** What each action re-reads to verify its effect, derived from the definitions. */
export type VerifiedValue = { [K in ActionKind]: (typeof definitions)[K] extends ActionDefinition<K, infer V> ? V : never };

export type ActionRegistry = { [K in ActionKind]: ActionDefinition<K, VerifiedValue[K]> };

export const ACTIONS: ActionRegistry = definitions;
