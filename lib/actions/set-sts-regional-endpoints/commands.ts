import { ANNOTATION_STS_REGIONAL } from '@/lib/model/kube-objects';
import { annotateServiceAccount, type ActionCommands } from '../command-kit';

export const setStsRegionalEndpointsCommands: ActionCommands<'set-sts-regional-endpoints'> = {
  title: 'Set the STS regional endpoints annotation',
  commands(params, facts) {
    return [
      ...annotateServiceAccount(params, { [ANNOTATION_STS_REGIONAL]: params.value ?? null }, facts),
      '# then restart the pods: the webhook sets AWS_STS_REGIONAL_ENDPOINTS at admission',
    ];
  },
};
