import type { SuggestedAction } from '@/lib/model/finding';
import type { ActionCommands, CommandFacts } from './command-kit';
import { createAssociationCommands } from './create-association/commands';
import { deleteAssociationCommands } from './delete-association/commands';
import { fixTrustPolicyCommands } from './fix-trust-policy/commands';
import { removeIrsaAnnotationCommands } from './remove-irsa-annotation/commands';
import { rollPodsCommands } from './roll-pods/commands';
import type { ActionKind, ActionParams } from './schemas';
import { setStsRegionalEndpointsCommands } from './set-sts-regional-endpoints/commands';
import { updateAssociationCommands } from './update-association/commands';

// Every action's browser-safe half by kind: the How-to-fix panel and the action dialog read names and
// commands here; the server's definitions (registry.ts) are built from the same objects.

export const ACTION_COMMANDS: { [K in ActionKind]: ActionCommands<K> } = {
  'create-association': createAssociationCommands,
  'update-association': updateAssociationCommands,
  'delete-association': deleteAssociationCommands,
  'fix-trust-policy': fixTrustPolicyCommands,
  'set-sts-regional-endpoints': setStsRegionalEndpointsCommands,
  'remove-irsa-annotation': removeIrsaAnnotationCommands,
  'roll-pods': rollPodsCommands,
};

/** A suggestion's name: an action's title, or the one suggestion that is a link. */
export function suggestionTitle(type: SuggestedAction['type']): string {
  return type === 'open-serviceaccount' ? 'Open the service account' : ACTION_COMMANDS[type].title;
}

/** An action's lines by hand, by its kind: a plan with every fact, a finding's suggestion with what it knows. */
export function actionCommands<K extends ActionKind>(type: K, params: Partial<ActionParams<K>>, facts: CommandFacts): string[] {
  return ACTION_COMMANDS[type].commands(params, facts);
}

/** The lines that do a finding's suggested action by hand. */
export function suggestionCommands(action: SuggestedAction, facts: CommandFacts = {}): string[] {
  return action.type === 'open-serviceaccount' ? [] : actionCommands(action.type, action.params, facts);
}
