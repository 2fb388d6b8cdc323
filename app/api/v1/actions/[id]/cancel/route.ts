import { actionRecord } from '@/lib/actions/jobs';
import { cancelAction } from '@/lib/actions/run-action';
import { recordCancel } from '@/lib/audit/audit-log';
import { apiRoute } from '@/lib/console/api-route';

export const dynamic = 'force-dynamic';

/** POST /api/v1/actions/{id}/cancel: stops a running roll (202), 409 when it cannot be cancelled. */
export const POST = apiRoute<{ id: string }>({ csrf: true }, async ({ principal, params }) => {
  const answer = await cancelAction(principal, params.id);
  if (answer.status === 202) {
    // Audited (issue 10); the record names what was cancelled, as the intent did.
    const record = await actionRecord(params.id);
    await recordCancel(principal, record?.type ?? 'action', record?.targets[0] ?? {}, params.id);
  }
  return answer;
});
