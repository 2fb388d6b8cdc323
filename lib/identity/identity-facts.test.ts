import { describe, expect, it } from 'vitest';
import { clusterStsDefault, podIdentityPlatformShortfall, sdkVerdictsForImage } from './identity-facts';
import { compareVersions, parseImageReference, parseVersionTag } from './image-reference';

const eks = (version: string, platformVersion?: string) => ({ name: 'c', arn: 'arn', account: '1', region: 'r', version, platformVersion });

describe('image references', () => {
  it('parses registry, repository, tag and digest; Docker Hub defaults', () => {
    expect(parseImageReference('argoproj/argoexec:v3.5.11')).toMatchObject({
      registry: 'docker.io',
      repository: 'argoproj/argoexec',
      tag: 'v3.5.11',
      normalized: 'docker.io/argoproj/argoexec',
    });
    expect(parseImageReference('nginx')).toMatchObject({ normalized: 'docker.io/library/nginx', tag: null });
    expect(parseImageReference('localhost:5000/team/app:1.2@sha256:abc')).toMatchObject({
      registry: 'localhost:5000',
      repository: 'team/app',
      tag: '1.2',
      digest: 'sha256:abc',
    });
    expect(parseImageReference('index.docker.io/argoproj/argoexec:v3.6.2')?.normalized).toBe('docker.io/argoproj/argoexec');
    expect(parseImageReference('')).toBeNull();
  });
  it('compares versions with v-prefix and prereleases', () => {
    const v = (s: string) => parseVersionTag(s)!;
    expect(compareVersions(v('v3.5.11'), v('v3.6.2'))).toBeLessThan(0);
    expect(compareVersions(v('3.6.2'), v('v3.6.2'))).toBe(0);
    expect(compareVersions(v('v3.6.2-rc1'), v('v3.6.2'))).toBeLessThan(0);
    expect(compareVersions(v('v3.10.0'), v('v3.6.2'))).toBeGreaterThan(0);
    expect(parseVersionTag('latest')).toBeNull();
  });
  it('SDK verdicts: too-old, ok, unknown, and nothing for images outside the table', () => {
    expect(sdkVerdictsForImage('quay.io/argoproj/argoexec:v3.5.15')[0].verdict).toBe('too-old');
    expect(sdkVerdictsForImage('argoproj/argoexec:v3.6.2')[0].verdict).toBe('ok');
    expect(sdkVerdictsForImage('argoproj/argoexec:latest')[0].verdict).toBe('unknown');
    expect(sdkVerdictsForImage('ghcr.io/argoproj/argoexec:v3.5.1')).toEqual([]);
  });
});

describe('version tables', () => {
  it('STS default by version and platform', () => {
    expect(clusterStsDefault(eks('1.31', 'eks.4')).mode).toBe('regional');
    expect(clusterStsDefault(eks('1.31', 'eks.3')).mode).toBe('legacy');
    expect(clusterStsDefault(eks('1.21', 'eks.3')).mode).toBe('legacy');
    expect(clusterStsDefault(eks('1.33', 'eks.1')).mode).toBe('regional');
    expect(clusterStsDefault(eks('1.18', 'eks.1')).mode).toBe('legacy');
    expect(clusterStsDefault(eks('1.23')).mode).toBe('unknown');
    expect(clusterStsDefault(null).mode).toBe('unknown');
  });
  it('Pod Identity platform minimums', () => {
    expect(podIdentityPlatformShortfall(eks('1.28', 'eks.3'))).toEqual({ required: '1.28 eks.4' });
    expect(podIdentityPlatformShortfall(eks('1.28', 'eks.4'))).toBeNull();
    expect(podIdentityPlatformShortfall(eks('1.24', 'eks.9'))).toEqual({ required: 'Kubernetes 1.26 or newer' });
    expect(podIdentityPlatformShortfall(eks('1.30', 'eks.1'))).toBeNull();
  });
});
