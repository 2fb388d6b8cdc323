import { describe, expect, it } from 'vitest';
import { humanDuration, requestedTableVersion } from './table';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (the AGE column, as apimachinery duration.HumanDuration prints it)', () => {
  it.each([
    [-5 * S, '<invalid>'],
    [-1 * S, '0s'],
    [90 * S, '90s'],
    [5 * M, '5m'],
    [5 * M + 30 * S, '5m30s'],
    [45 * M, '45m'],
    [3 * H, '3h'],
    [5 * H + 20 * M, '5h20m'],
    [30 * H, '30h'],
    [3 * D + 4 * H, '3d4h'],
    [60 * D, '60d'],
    [3 * 365 * D + 10 * D, '3y10d'],
    [9 * 365 * D, '9y'],
  ])('%d ms → %s', (ms, printed) => {
    expect(humanDuration(ms)).toBe(printed);
  });
});

describe('requestedTableVersion', () => {
  it("reads kubectl's Accept header, and plain JSON otherwise", () => {
    expect(
      requestedTableVersion(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ),
    ).toBe('v1');
    expect(requestedTableVersion('application/json;as=Table;v=v1beta1;g=meta.k8s.io')).toBe('v1beta1');
    expect(requestedTableVersion('application/json, */*')).toBeUndefined();
    expect(requestedTableVersion('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io')).toBeUndefined();
    expect(requestedTableVersion(undefined)).toBeUndefined();
  });
});
