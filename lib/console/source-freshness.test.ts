import { describe, expect, it } from 'vitest';
import { sourceLines } from './source-freshness';

describe('sourceLines', () => {
  it('says a live watch is watching, and how old each AWS read is in the words of every other age', () => {
    const lines = sourceLines({
      kube: { state: 'watching', ageSeconds: 0 },
      aws: { ageSeconds: 4, associationsListedSeconds: 12, iamReadSeconds: 93_600 },
    });
    expect(lines.map((line) => `${line.label}: ${line.short}`)).toEqual([
      'Kubernetes: watching',
      'Pod Identity associations: listed 12 s ago',
      'IAM roles: read 1 d 2 h ago',
    ]);
    expect(lines.map((line) => line.tone)).toEqual(['ok', 'ok', 'ok']);
  });

  it('says since when a watch is down and why, and marks the cluster down', () => {
    const lines = sourceLines({
      kube: {
        state: 'down',
        ageSeconds: 190,
        down: ['pods'],
        since: '2026-12-01T10:00:00Z',
        reason: 'watch pods: ServiceUnavailable: the API server is restarting',
      },
    });
    expect(lines[0].short).toBe('down for 3 min');
    expect(lines[0].text).toBe(
      'Watch down for 3 min since 2026-12-01 10:00:00 UTC+00:00 (pods): watch pods: ServiceUnavailable: the API server is restarting. Showing what it last saw; it keeps retrying.',
    );
    expect(lines[0].tone).toBe('down');
  });

  it('marks stale AWS reads, and says starting and listed plainly', () => {
    expect(sourceLines({ kube: { state: 'starting', ageSeconds: 0 }, aws: { ageSeconds: 400, stale: true } })[1]).toMatchObject({
      tone: 'stale',
      text: 'Collected 6 min ago. Older than it should be: AWS reads may be failing (see the findings).',
    });
    expect(sourceLines({ kube: { state: 'starting', ageSeconds: 0 } })[0].short).toBe('starting');
    expect(sourceLines({ kube: { state: 'listed', ageSeconds: 75 } })[0].short).toBe('listed 1 min ago');
    expect(sourceLines({ kube: { state: 'watching', ageSeconds: 0 }, aws: { ageSeconds: 75 } })[1]).toMatchObject({ short: '1 min ago' });
  });
});
