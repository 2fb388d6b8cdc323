import type { ServiceAccountDetail } from '@/lib/model/identity-row';

/** What a stale pod missed and when it happened, from the finding's evidence or else the chain's. */
export interface StaleReference {
  change: 'association' | 'annotation';
  at: string | null;
}

const asTime = (value: unknown): string | null => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : null);

export function staleReferenceOf(detail: Pick<ServiceAccountDetail, 'findings' | 'chain' | 'podIdentity'>): StaleReference | null {
  const pi005 = detail.findings.find((finding) => finding.code === 'PI005');
  const ir006 = detail.findings.find((finding) => finding.code === 'IR006');
  if (pi005 || (!ir006 && detail.podIdentity)) {
    const fromChain = detail.chain.find((step) => step.step === 'association')?.evidence.createdAt;
    return { change: 'association', at: asTime(pi005?.evidence.associationCreatedAt) ?? asTime(fromChain) };
  }
  if (ir006) {
    const fromChain = detail.chain.find((step) => step.step === 'irsa-annotation')?.evidence.annotationChangedAt;
    return { change: 'annotation', at: asTime(ir006.evidence.annotationChangedAt) ?? asTime(fromChain) };
  }
  return null;
}
