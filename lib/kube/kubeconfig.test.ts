import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeconfigFiles } from './kubeconfig';

const kubeconfig = (contexts: string[], current: string) => `apiVersion: v1
kind: Config
current-context: ${current}
clusters:
${contexts.map((name) => `- name: ${name}\n  cluster:\n    server: https://${name}.example:6443`).join('\n')}
users:
- name: me
  user:
    token: t
contexts:
${contexts.map((name) => `- name: ${name}\n  context:\n    cluster: ${name}\n    user: me`).join('\n')}
`;

describe('loadKubeconfigFiles', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const fileWith = (text: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
    dirs.push(dir);
    const file = path.join(dir, 'config');
    writeFileSync(file, text);
    return file;
  };

  it('sees a file rewritten in place, even at the same size', () => {
    const file = fileWith(kubeconfig(['east', 'west'], 'east'));
    expect(loadKubeconfigFiles([file]).getCurrentContext()).toBe('east');
    writeFileSync(file, kubeconfig(['east', 'west'], 'west'));
    expect(loadKubeconfigFiles([file]).getCurrentContext()).toBe('west');
    writeFileSync(file, kubeconfig(['east', 'north'], 'north'));
    expect(
      loadKubeconfigFiles([file])
        .getContexts()
        .map((context) => context.name),
    ).toEqual(['east', 'north']);
  });

  it('gives each caller its own merged config: one moving its current context does not move the next', () => {
    const file = fileWith(kubeconfig(['east', 'west'], 'east'));
    const first = loadKubeconfigFiles([file]);
    first.setCurrentContext('west');
    expect(loadKubeconfigFiles([file]).getCurrentContext()).toBe('east');
  });

  it('merges as kubectl does (the first file naming a context wins), skips missing files, and says which file is bad', () => {
    const a = fileWith(kubeconfig(['east'], 'east'));
    const b = fileWith(kubeconfig(['east', 'west'], 'west'));
    const merged = loadKubeconfigFiles([path.join(path.dirname(a), 'missing'), a, b]);
    expect(merged.getContexts().map((context) => context.name)).toEqual(['east', 'west']);
    expect(merged.getCurrentContext()).toBe('east');
    const bad = fileWith('clusters: [oops');
    expect(() => loadKubeconfigFiles([bad])).toThrow(bad);
  });
});
