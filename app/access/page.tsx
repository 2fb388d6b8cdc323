import type { Metadata } from 'next';
import { Suspense } from 'react';
import type { Scope } from '@/lib/auth/scope';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { accessPath, parseAccessQuestion, type AccessQuestion } from '@/lib/console/access-question';
import { getAccess } from '@/lib/console/permission-queries';
import { AccessForm } from '@/components/access/access-form';
import { AccessResults } from '@/components/access/access-results';
import { InvalidFilters } from '@/components/shell/invalid-filters';
import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Who can' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const ACCESS_DESCRIPTION =
  'Which service accounts may do an action on a resource, through Pod Identity or IRSA, and the statement that decides.';

async function AccessSection({ question, scope }: { question: AccessQuestion; scope: Scope }) {
  const result = await getAccess(
    { action: question.action, resource: question.resource },
    { cluster: question.cluster, namespace: question.namespace },
    scope,
  );
  return <AccessResults result={result} question={question} shareUrl={accessPath(question)} />;
}

export default async function AccessPage({ searchParams }: { searchParams: SearchParams }) {
  const { input, result } = parseAccessQuestion(await searchParams);
  const path = accessPath(input);
  const scope = scopeOf(await requirePrincipal(path));
  const asked = Object.keys(input).length > 0;
  return (
    <PageMain>
      <PageHeader title="Who can" description={ACCESS_DESCRIPTION} />
      <AccessForm values={input} />
      {!asked ? null : result.success ? (
        <Suspense key={path} fallback={<TableSkeleton rows={4} label="Judging every service account" />}>
          <AccessSection question={result.data} scope={scope} />
        </Suspense>
      ) : (
        <InvalidFilters error={result.error} resetHref="/access" resetLabel="Ask another question" />
      )}
    </PageMain>
  );
}
