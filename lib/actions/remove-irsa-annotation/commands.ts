import { ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
import { annotateServiceAccount, type ActionCommands } from '../command-kit';

export const removeIrsaAnnotationCommands: ActionCommands<'remove-irsa-annotation'> = {
  title: 'Remove the IRSA annotation',
  commands(params, facts) {
    return [
      ...annotateServiceAccount(params, { [ANNOTATION_ROLE_ARN]: null }, facts),
      '# then restart the pods so they drop the web-identity env',
    ];
  },
};
