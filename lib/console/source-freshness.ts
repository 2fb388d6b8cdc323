import type { ClusterSources } from '@/lib/model/identity-row';
import { formatAge, formatTimestamp } from './format';

// How current each of a cluster's sources is, in plain words (issue 17: "the UI shows each source's age"), for the
// clusters table and the cluster page alike. Ages read like every other age the console shows (formatAge: "1 d 2 h
// ago"). Pure: the server renders it and the tests call it.

/** ok: current; stale: served, but older than it should be; down: not being read, serving what it last saw. */
export type SourceTone = 'ok' | 'starting' | 'stale' | 'down';

export interface SourceLine {
  source: 'kube' | 'associations' | 'iam' | 'aws';
  label: string;
  /** The label in the clusters table: "Kubernetes", "Associations", "IAM", "AWS". */
  shortLabel: string;
  /** The short form, for the table: "watching", "down for 3 min", "12 s ago". */
  short: string;
  /** The whole sentence, for the cluster page (and the table's tooltip). */
  text: string;
  tone: SourceTone;
}

const ago = (seconds: number) => `${formatAge(seconds)} ago`;

function kubeLine(kube: ClusterSources['kube']): SourceLine {
  const label = 'Kubernetes';
  const shortLabel = label;
  switch (kube.state) {
    case 'watching':
      return { source: 'kube', label, shortLabel, short: 'watching', text: 'Watching: every change arrives as it happens.', tone: 'ok' };
    case 'starting':
      return { source: 'kube', label, shortLabel, short: 'starting', text: 'Starting: the first list is under way.', tone: 'starting' };
    case 'listed':
      return {
        source: 'kube',
        label,
        shortLabel,
        short: `listed ${ago(kube.ageSeconds)}`,
        text: `Listed ${ago(kube.ageSeconds)} (informers are off: listed again at each refresh).`,
        tone: 'ok',
      };
    case 'down': {
      const since = kube.since ? ` since ${formatTimestamp(kube.since)}` : '';
      const what = kube.down?.length ? ` (${kube.down.join(', ')})` : '';
      const reason = kube.reason ? `: ${kube.reason}` : '';
      return {
        source: 'kube',
        label,
        shortLabel,
        short: `down for ${formatAge(kube.ageSeconds)}`,
        text: `Watch down for ${formatAge(kube.ageSeconds)}${since}${what}${reason}. Showing what it last saw; it keeps retrying.`,
        tone: 'down',
      };
    }
  }
}

/** One line per source: Kubernetes, then for EKS the association listing and the IAM reads (or the AWS collection). */
export function sourceLines(sources: ClusterSources | undefined): SourceLine[] {
  if (!sources) return [];
  const lines = [kubeLine(sources.kube)];
  const aws = sources.aws;
  if (!aws) return lines;
  const tone: SourceTone = aws.stale ? 'stale' : 'ok';
  const staleNote = aws.stale ? ' Older than it should be: AWS reads may be failing (see the findings).' : '';
  if (aws.associationsListedSeconds === undefined && aws.iamReadSeconds === undefined) {
    lines.push({
      source: 'aws',
      label: 'AWS',
      shortLabel: 'AWS',
      short: ago(aws.ageSeconds),
      text: `Collected ${ago(aws.ageSeconds)}.${staleNote}`,
      tone,
    });
    return lines;
  }
  const listed = aws.associationsListedSeconds ?? aws.ageSeconds;
  lines.push({
    source: 'associations',
    label: 'Pod Identity associations',
    shortLabel: 'Associations',
    short: `listed ${ago(listed)}`,
    text: `Listed ${ago(listed)}.${staleNote}`,
    tone,
  });
  if (aws.iamReadSeconds !== undefined)
    lines.push({
      source: 'iam',
      label: 'IAM roles',
      shortLabel: 'IAM',
      short: `read ${ago(aws.iamReadSeconds)}`,
      text:
        `Oldest read ${ago(aws.iamReadSeconds)} (each role and its policies are re-read on a rolling schedule` +
        (aws.iamRereadPeriodSeconds ? `, about every ${formatAge(aws.iamRereadPeriodSeconds)} at this fleet's size` : '') +
        `; a trust policy the role listing shows changed, and the console's own changes, are read at once).${staleNote}`,
      tone,
    });
  return lines;
}
