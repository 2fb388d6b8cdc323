'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { ActionRequest } from '@/lib/console/action-api';
import { ANNOTATION_STS_REGIONAL } from '@/lib/model/kube-objects';

// The inputs of each action. The server validates everything again (DNS-1123 names, ARN shape, lengths) and
// its messages come back per field.

const REQUIRED: Partial<Record<ActionRequest['type'], string[]>> = {
  'create-association': ['cluster', 'namespace', 'serviceAccount', 'roleArn'],
  'update-association': ['cluster', 'associationId'],
  'delete-association': ['cluster', 'associationId', 'confirm'],
  'fix-trust-policy': ['roleArn'],
  'set-sts-regional-endpoints': ['cluster', 'namespace', 'serviceAccount'],
  'remove-irsa-annotation': ['cluster', 'namespace', 'serviceAccount'],
  'roll-pods': ['cluster', 'namespace', 'serviceAccount'],
};

export function requiredFieldsMissing(request: ActionRequest): boolean {
  return (REQUIRED[request.type] ?? []).some((field) => request.params[field] === undefined || request.params[field] === '');
}

interface RoleOption {
  arn: string;
  name: string;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${response.status}`);
  return (await response.json()) as T;
}

function useRoleOptions(cluster: string | undefined) {
  return useQuery({
    queryKey: ['pod-identity-roles', cluster],
    queryFn: () => getJson<{ items: RoleOption[]; noRolesHint?: string }>(`/api/v1/roles?cluster=${encodeURIComponent(cluster ?? '')}`),
    enabled: Boolean(cluster),
    staleTime: 30_000,
  });
}

function useServiceAccountOptions(cluster: string | undefined) {
  return useQuery({
    queryKey: ['serviceaccount-options', cluster],
    queryFn: () =>
      getJson<{ items: { namespace: string; name: string; exists: boolean }[] }>(
        `/api/v1/serviceaccounts?cluster=${encodeURIComponent(cluster ?? '')}`,
      ),
    enabled: Boolean(cluster),
    staleTime: 30_000,
  });
}

function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  children: (id: string) => React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-[12px] font-medium text-neutral-700">
        {label}
      </label>
      {children(id)}
      {hint && !error && <p className="text-[12px] text-neutral-500">{hint}</p>}
      {error && (
        <p role="alert" className="text-[12px] text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

const inputClass =
  'w-full rounded-md border border-neutral-300 px-2.5 py-1.5 font-mono text-[13px] focus:border-sky-600 focus:outline-none';

export function ActionFields({
  request,
  onChange,
  fieldErrors,
}: {
  request: ActionRequest;
  onChange: (next: ActionRequest) => void;
  fieldErrors?: Record<string, string>;
}) {
  const p = request.params;
  const set = (key: string, value: unknown) => onChange({ ...request, params: { ...p, [key]: value } });
  const text = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : '');
  const errorOf = (key: string) => fieldErrors?.[`params.${key}`];
  const cluster = typeof p.cluster === 'string' ? p.cluster : undefined;
  const needsRoles = request.type === 'create-association' || request.type === 'update-association';
  const roles = useRoleOptions(needsRoles ? cluster : undefined);
  const serviceAccounts = useServiceAccountOptions(request.type === 'create-association' ? cluster : undefined);
  const rolesListId = useId();
  const namespacesListId = useId();
  const serviceAccountsListId = useId();
  const namespaces = [...new Set((serviceAccounts.data?.items ?? []).map((row) => row.namespace))].sort();
  const accountsInNamespace = (serviceAccounts.data?.items ?? [])
    .filter((row) => row.namespace === text('namespace') && row.exists)
    .map((row) => row.name);
  const typedServiceAccountExists = accountsInNamespace.includes(text('serviceAccount'));

  const roleField = (key: 'roleArn' | 'targetRoleArn', label: string, hint: string) => (
    <Field label={label} hint={hint} error={errorOf(key)}>
      {(id) => (
        <>
          <input
            id={id}
            className={inputClass}
            list={rolesListId}
            value={text(key)}
            placeholder="arn:aws:iam::111122223333:role/…"
            onChange={(event) => set(key, event.target.value.trim() || undefined)}
          />
          <datalist id={rolesListId}>
            {(roles.data?.items ?? []).map((role) => (
              <option key={role.arn} value={role.arn}>
                {role.name}
              </option>
            ))}
          </datalist>
        </>
      )}
    </Field>
  );

  // The association's session policy (domain.md §1a): JSON text; EKS takes it only with session tags off.
  const policyField = (emptyMeans: undefined | null) => (
    <Field
      label="Session policy (optional)"
      error={errorOf('policy')}
      hint="An IAM policy as JSON: the pods get only what both the role and this policy allow. Needs session tags disabled."
    >
      {(id) => (
        <textarea
          id={id}
          className={`${inputClass} h-24`}
          spellCheck={false}
          value={text('policy')}
          onChange={(event) => set('policy', event.target.value.trim() === '' ? emptyMeans : event.target.value)}
        />
      )}
    </Field>
  );

  switch (request.type) {
    case 'create-association':
      return (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Namespace" error={errorOf('namespace')}>
            {(id) => (
              <>
                <input
                  id={id}
                  className={inputClass}
                  list={namespacesListId}
                  value={text('namespace')}
                  onChange={(event) => set('namespace', event.target.value.trim())}
                />
                <datalist id={namespacesListId}>
                  {namespaces.map((namespace) => (
                    <option key={namespace} value={namespace} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field
            label="Service account"
            error={errorOf('serviceAccount')}
            hint={
              text('serviceAccount') && serviceAccounts.data && !typedServiceAccountExists
                ? 'Not in the cluster yet: allowed, pods that run as it later get the role.'
                : undefined
            }
          >
            {(id) => (
              <>
                <input
                  id={id}
                  className={inputClass}
                  list={serviceAccountsListId}
                  value={text('serviceAccount')}
                  onChange={(event) => set('serviceAccount', event.target.value.trim())}
                />
                <datalist id={serviceAccountsListId}>
                  {accountsInNamespace.map((name) => (
                    <option key={name} value={name} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <div className="sm:col-span-2">
            {roleField(
              'roleArn',
              'Role',
              roles.data?.noRolesHint ??
                (roles.data
                  ? `Pick one of ${roles.data.items.length} roles of the account that trust pods.eks.amazonaws.com and that your team may bind, or paste an ARN.`
                  : 'Paste a role ARN.'),
            )}
          </div>
          <div className="sm:col-span-2">
            {roleField('targetRoleArn', 'Target role (optional)', 'EKS chains into this role from the first one, e.g. in another account.')}
          </div>
          <label className="flex items-center gap-2 text-[13px] text-neutral-700 sm:col-span-2">
            <input
              type="checkbox"
              checked={p.disableSessionTags === true}
              onChange={(event) => set('disableSessionTags', event.target.checked || undefined)}
            />
            Disable session tags (only if the role&apos;s trust policy cannot allow sts:TagSession, or with a session policy)
          </label>
          <div className="sm:col-span-2">{policyField(undefined)}</div>
        </div>
      );
    case 'update-association':
      return (
        <div className="grid gap-3">
          {roleField('roleArn', 'Role', roles.data?.noRolesHint ?? 'The role the association hands to pods.')}
          {roleField('targetRoleArn', 'Target role', 'Leave empty to keep it; clear an existing one to remove the chaining.')}
          <label className="flex items-center gap-2 text-[13px] text-neutral-700">
            <input
              type="checkbox"
              checked={p.disableSessionTags === true}
              onChange={(event) => set('disableSessionTags', event.target.checked)}
            />
            Disable session tags
          </label>
          {policyField(null)}
        </div>
      );
    case 'delete-association':
      return (
        <Field
          label={`Type the service account name${request.hint?.serviceAccount ? ` "${request.hint.serviceAccount}"` : ''} to confirm`}
          error={errorOf('confirm')}
        >
          {(id) => (
            <input
              id={id}
              className={inputClass}
              value={text('confirm')}
              autoComplete="off"
              onChange={(event) => set('confirm', event.target.value)}
            />
          )}
        </Field>
      );
    case 'set-sts-regional-endpoints':
      return (
        <Field label={ANNOTATION_STS_REGIONAL} error={errorOf('value')}>
          {(id) => (
            <select
              id={id}
              className={inputClass}
              value={p.value === null ? 'remove' : text('value') || 'true'}
              onChange={(event) => set('value', event.target.value === 'remove' ? null : event.target.value)}
            >
              <option value="true">true: regional STS endpoint (recommended)</option>
              <option value="false">false: no env injected, the SDK&apos;s default applies</option>
              <option value="remove">remove the annotation: the cluster default applies</option>
            </select>
          )}
        </Field>
      );
    case 'roll-pods':
      return (
        <fieldset className="space-y-1.5">
          <legend className="text-[12px] font-medium text-neutral-700">Also replace</legend>
          <label className="flex items-center gap-2 text-[13px] text-neutral-700">
            <input
              type="checkbox"
              checked={p.includeBarePods === true}
              onChange={(event) => set('includeBarePods', event.target.checked)}
            />
            Bare pods (they do not come back: nothing recreates them)
          </label>
          <label className="flex items-center gap-2 text-[13px] text-neutral-700">
            <input type="checkbox" checked={p.includeJobPods === true} onChange={(event) => set('includeJobPods', event.target.checked)} />
            Job pods (replaced only while their Job is not complete)
          </label>
        </fieldset>
      );
    default:
      return null;
  }
}
