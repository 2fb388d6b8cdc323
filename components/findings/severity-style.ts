import type { Severity } from '@/lib/model/finding';

// One palette for severities everywhere: error red, warning amber, info sky, ok emerald.
export type SeverityOrOk = Severity | 'ok';

export const SEVERITY_BADGE: Record<SeverityOrOk, string> = {
  error: 'bg-red-50 text-red-700 ring-red-600/25',
  warning: 'bg-amber-50 text-amber-800 ring-amber-600/30',
  info: 'bg-sky-50 text-sky-700 ring-sky-600/25',
  ok: 'bg-emerald-50 text-emerald-700 ring-emerald-600/25',
};

export const SEVERITY_DOT: Record<SeverityOrOk, string> = {
  error: 'bg-red-500',
  warning: 'bg-amber-500',
  info: 'bg-sky-500',
  ok: 'bg-emerald-500',
};

export const SEVERITY_LABEL: Record<SeverityOrOk, string> = { error: 'Error', warning: 'Warning', info: 'Info', ok: 'OK' };
