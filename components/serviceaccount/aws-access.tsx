'use client';

import { useState } from 'react';
import type { AskAwsAnswer, PermissionsResult, VerdictJson } from '@/lib/console/permission-queries';
import { accessPath } from '@/lib/console/access-question';
import { DecidingStatements } from '@/components/access/deciding-statements';
import { DecisionBadge } from '@/components/access/decision-badge';
import { CommandBlock } from '@/components/chain/command-block';
import { TableHead } from '@/components/shell/table-head';
import { OrganizationsNote } from '@/components/access/organizations-note';

interface ApiErrorJson {
  error?: { message?: string; details?: { fields?: Record<string, string> } };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as T & ApiErrorJson;
  if (!response.ok) {
    const fields = body.error?.details?.fields;
    const detail = fields ? Object.entries(fields).map(([k, v]) => `${k}: ${v}`) : [];
    throw new Error([body.error?.message ?? `HTTP ${response.status}`, ...detail].join(' '));
  }
  return body;
}

function IdentityChain({ identity }: { identity: NonNullable<PermissionsResult['identity']> }) {
  return (
    <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-[13px]">
      <dt className="text-neutral-500">Mechanism</dt>
      <dd>{identity.mechanism === 'irsa' ? 'IRSA (no session tags)' : 'Pod Identity'}</dd>
      <dt className="text-neutral-500">Role</dt>
      <dd className="font-mono text-[12px] break-all">{identity.roleArn}</dd>
      {identity.targetRoleArn && (
        <>
          <dt className="text-neutral-500">Target role</dt>
          <dd className="font-mono text-[12px] break-all">
            → {identity.targetRoleArn} <span className="font-sans text-neutral-500">(the pods act as this role)</span>
          </dd>
        </>
      )}
      {identity.mechanism === 'pod-identity' && (
        <>
          <dt className="text-neutral-500">Session tags</dt>
          <dd>
            {identity.sessionTags ? (
              <>
                on:{' '}
                {Object.entries(identity.principalTags).map(([k, v]) => (
                  <code key={k} className="mr-1.5 inline-block rounded bg-neutral-100 px-1 font-mono text-[11px]">
                    {k}={v}
                  </code>
                ))}
                {identity.perPodTags.map((k) => (
                  <code key={k} className="mr-1.5 inline-block rounded bg-neutral-100 px-1 font-mono text-[11px]">
                    {k}=(per pod)
                  </code>
                ))}
              </>
            ) : (
              'off (disableSessionTags)'
            )}
          </dd>
        </>
      )}
      <dt className="text-neutral-500">Session policy</dt>
      <dd>
        {identity.sessionPolicy ? (
          <pre className="max-h-40 overflow-auto rounded bg-neutral-50 p-2 font-mono text-[11px]">{identity.sessionPolicy}</pre>
        ) : (
          'none'
        )}
      </dd>
    </dl>
  );
}

function Verdict({ verdict, title }: { verdict: VerdictJson; title: string }) {
  return (
    <div className="space-y-1.5" aria-label={title}>
      <p className="flex flex-wrap items-center gap-2 text-[13px]">
        <span className="font-medium">{title}:</span> <DecisionBadge decision={verdict.decision} />
        <span className="text-[12px] text-neutral-500">({verdict.detail})</span>
      </p>
      <DecidingStatements statements={verdict.statements} />
      {verdict.reasons.length > 0 && (
        <ul className="list-disc pl-4 text-[12px] text-neutral-700">
          {verdict.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {verdict.policies.length > 0 && (
        <p className="text-[12px] text-neutral-500">
          Policies that took part: {verdict.policies.map((p) => `${p.name} (${p.kind})`).join(', ')}
        </p>
      )}
    </div>
  );
}

function AskAwsResult({ answer }: { answer: AskAwsAnswer }) {
  return (
    <div className="space-y-2 rounded-md border border-neutral-200 bg-neutral-50 p-3" aria-label="AWS's answer">
      {answer.aws ? (
        <p className="flex flex-wrap items-center gap-2 text-[13px]">
          <span className="font-medium">AWS (SimulatePrincipalPolicy):</span> <DecisionBadge decision={answer.aws.decision} />
          <span className="text-[12px] text-neutral-500">({answer.aws.detail})</span>
          {answer.agree === true && <span className="font-medium text-emerald-800">AWS agrees with the console.</span>}
          {answer.agree === false && <span className="font-semibold text-red-800">AWS and the console disagree.</span>}
          {answer.agree === null && <span className="text-neutral-600">The console could not decide, so there is nothing to compare.</span>}
        </p>
      ) : (
        <p className="text-[13px] text-amber-900">
          AWS could not be asked: {answer.error?.code}: {answer.error?.message}
          {answer.error?.missingPermission && <> (the console lacks {answer.error.missingPermission})</>}
        </p>
      )}
      {answer.agree === false && <Verdict verdict={answer.compared} title="The console, on the same policies" />}
      {answer.console.decision !== answer.compared.decision && (
        <p className="text-[12px] text-neutral-600">
          SimulatePrincipalPolicy judges a role&apos;s own policies only (it cannot take the bucket policy without an IAM user as caller);
          with the bucket policy the console says <strong>{answer.console.decision}</strong>.
        </p>
      )}
      <CommandBlock commands={[answer.command]} />
    </div>
  );
}

/** "AWS access": the identity chain, what it may do by service, and the "Can it…?" box with "Ask AWS". */
export function AwsAccess({ initial, apiPath }: { initial: PermissionsResult; apiPath: string }) {
  const first = initial.knownNeeds[0];
  const [action, setAction] = useState(first?.action ?? '');
  const [resource, setResource] = useState(first?.resource ?? '');
  const [check, setCheck] = useState<VerdictJson | null>(null);
  const [aws, setAws] = useState<AskAwsAnswer | null>(null);
  const [busy, setBusy] = useState<'check' | 'aws' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const question = () => new URLSearchParams({ action: action.trim(), resource: resource.trim() }).toString();

  async function run(kind: 'check' | 'aws') {
    setBusy(kind);
    setError(null);
    if (kind === 'check') setAws(null);
    try {
      if (kind === 'check') {
        const result = await getJson<PermissionsResult>(`${apiPath}/permissions?${question()}`);
        setCheck(result.check ?? null);
      } else {
        setAws(await getJson<AskAwsAnswer>(`${apiPath}/permissions/simulate?${question()}`));
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  }

  if (!initial.identity)
    return <p className="rounded-lg border border-neutral-200 bg-white px-4 py-3 text-[13px] text-neutral-600">{initial.unknownReason}</p>;

  return (
    <div className="space-y-4 rounded-lg border border-neutral-200 bg-white p-4">
      <IdentityChain identity={initial.identity} />
      {initial.unknownReason && (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-[12px] text-amber-950">
          Unknown: {initial.unknownReason}
        </p>
      )}

      <form
        aria-label="Can it…?"
        className="space-y-2 rounded-md border border-neutral-200 p-3"
        onSubmit={(event) => {
          event.preventDefault();
          void run('check');
        }}
      >
        <h3 className="text-[13px] font-semibold">Can it…?</h3>
        {initial.knownNeeds.length > 0 && (
          <p className="flex flex-wrap gap-1.5 text-[12px] text-neutral-600">
            Known needs:
            {initial.knownNeeds.map((need, i) => (
              <button
                key={i}
                type="button"
                title={need.why}
                onClick={() => {
                  setAction(need.action);
                  setResource(need.resource);
                  setCheck(null);
                  setAws(null);
                }}
                className="inline-flex items-center gap-1 rounded border border-neutral-200 px-1.5 font-mono text-[11px] hover:bg-neutral-50"
              >
                {need.action}{' '}
                <DecisionBadge
                  decision={need.verdict.decision === 'allowed' ? 'allowed' : need.verdict.decision === 'unknown' ? 'unknown' : 'denied'}
                />
              </button>
            ))}
          </p>
        )}
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex min-w-[14ch] flex-1 flex-col gap-1 text-[12px] font-medium text-neutral-700">
            Action
            <input
              name="action"
              value={action}
              onChange={(e) => setAction(e.target.value)}
              placeholder="s3:PutObject"
              required
              spellCheck={false}
              className="rounded-md border border-neutral-300 px-2 py-1.5 font-mono text-[12px]"
            />
          </label>
          <label className="flex min-w-[28ch] flex-[2] flex-col gap-1 text-[12px] font-medium text-neutral-700">
            Resource
            <input
              name="resource"
              value={resource}
              onChange={(e) => setResource(e.target.value)}
              placeholder="arn:aws:s3:::bucket/key"
              required
              spellCheck={false}
              className="rounded-md border border-neutral-300 px-2 py-1.5 font-mono text-[12px]"
            />
          </label>
          <button
            type="submit"
            disabled={busy !== null}
            className="rounded-md bg-neutral-900 px-3 py-1.5 text-[12px] font-medium text-white disabled:opacity-50"
          >
            {busy === 'check' ? 'Checking…' : 'Check'}
          </button>
          <button
            type="button"
            disabled={busy !== null || !action || !resource}
            onClick={() => void run('aws')}
            className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-[12px] font-medium text-neutral-800 disabled:opacity-50"
          >
            {busy === 'aws' ? 'Asking AWS…' : 'Ask AWS'}
          </button>
          <a href={accessPath({ action, resource })} className="text-[12px] text-sky-700 hover:underline">
            Who else can?
          </a>
        </div>
        {error && (
          <p role="alert" className="text-[12px] text-red-700">
            {error}
          </p>
        )}
        {check && <Verdict verdict={check} title="The console" />}
        {aws && <AskAwsResult answer={aws} />}
      </form>

      <div className="space-y-2">
        <h3 className="text-[13px] font-semibold">Allowed actions by service</h3>
        {initial.services.length === 0 ? (
          <p className="text-[12px] text-neutral-500">No identity policy statement allows anything.</p>
        ) : (
          initial.services.map((group) => (
            <details key={group.service} className="rounded-md border border-neutral-200" open={initial.services.length <= 3}>
              <summary className="cursor-pointer px-3 py-1.5 text-[13px] font-medium">
                <span className="font-mono">{group.service}</span>{' '}
                <span className="text-[12px] text-neutral-500">
                  {group.actions.length} action{group.actions.length === 1 ? '' : 's'}
                </span>
              </summary>
              <table className="w-full text-left text-[12px]">
                <TableHead
                  columns={['Action', 'Resources', 'Effective', 'Statement']}
                  className="text-[11px] text-neutral-500"
                  cellClassName="px-3 py-1 font-medium"
                />
                <tbody className="divide-y divide-neutral-100">
                  {group.actions.map((a, i) => (
                    <tr key={i} className="align-top">
                      <td className="px-3 py-1 font-mono">{a.action}</td>
                      <td className="px-3 py-1 font-mono break-all">{a.resources.join(', ')}</td>
                      <td className="px-3 py-1">
                        <DecisionBadge decision={a.decision} />
                      </td>
                      <td className="px-3 py-1">
                        {a.statements.map((s, j) => (
                          <div key={j}>
                            <span className={s.effect === 'Deny' ? 'text-red-700' : 'text-emerald-700'}>{s.effect}</span>{' '}
                            <span className="font-mono">{s.sid ?? `#${s.index + 1}`}</span> in {s.policy}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ))
        )}
      </div>

      <details className="text-[12px]">
        <summary className="cursor-pointer font-medium text-neutral-700">Policies that take part ({initial.policies.length})</summary>
        <ul className="mt-1 space-y-1">
          {initial.policies.map((p, i) => (
            <li key={i}>
              <details>
                <summary className="cursor-pointer">
                  <span className="text-neutral-500">{p.kind}</span> <span className="font-mono">{p.name}</span>
                  {p.versionId && <span className="text-neutral-500"> ({p.versionId})</span>}
                </summary>
                <pre className="mt-1 max-h-64 overflow-auto rounded bg-neutral-50 p-2 font-mono text-[11px]">
                  {JSON.stringify(p.document, null, 2)}
                </pre>
              </details>
            </li>
          ))}
        </ul>
      </details>
      {initial.errors.length > 0 && (
        <ul role="status" className="space-y-0.5 text-[12px] text-amber-900">
          {initial.errors.map((e, i) => (
            <li key={i}>
              {e.operation}: {e.code}
              {e.missingPermission && <> (the console lacks {e.missingPermission})</>}
            </li>
          ))}
        </ul>
      )}
      <OrganizationsNote className="text-[11px] text-neutral-500" />
    </div>
  );
}
