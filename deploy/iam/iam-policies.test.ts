import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// deploy/iam/*.json list exactly the AWS actions the console calls: every SDK command under lib/aws, as the
// IAM action that authorizes it (Service Authorization Reference), and nothing else. Writes (lib/aws/writes.ts)
// only in operator.json. A new command without its action here fails this test.

const ROOT = path.resolve(__dirname, '../..');
const AWS_DIR = path.join(ROOT, 'lib', 'aws');

/** The IAM action of an SDK command where its name differs, or null for calls that need no permission. */
const ACTION_OF: Record<string, string | null> = {
  's3:ListObjectsV2': 's3:ListBucket',
  's3:HeadObject': 's3:GetObject',
  's3:GetBucketPolicy': 's3:GetBucketPolicy',
  // "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity).
  'sts:GetCallerIdentity': null,
};
/** Actions a call needs besides its own: CreatePodIdentityAssociation passes the role to EKS (iam:PassRole). */
const IMPLIED: Record<string, string[]> = {
  'eks:CreatePodIdentityAssociation': ['iam:PassRole'],
  'eks:UpdatePodIdentityAssociation': ['iam:PassRole'],
};

function calledActions(files: string[]): Set<string> {
  const actions = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const packages = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g)];
    for (const [, names, service] of packages)
      for (const name of names.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        const command = /^([A-Z][A-Za-z0-9]*)Command$/.exec(name)?.[1];
        if (!command || !new RegExp(`new ${name}\\(`).test(text)) continue;
        const key = `${service}:${command}`;
        const action = key in ACTION_OF ? ACTION_OF[key] : key;
        if (action) actions.add(action);
        for (const implied of IMPLIED[key] ?? []) actions.add(implied);
      }
  }
  return actions;
}

function policyActions(file: string): Set<string> {
  const policy = JSON.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'iam', file), 'utf8')) as {
    Statement: { Effect: string; Action: string | string[] }[];
  };
  const actions = new Set<string>();
  for (const statement of policy.Statement) {
    expect(statement.Effect).toBe('Allow');
    for (const action of [statement.Action].flat()) actions.add(action);
  }
  return actions;
}

const sources = fs
  .readdirSync(AWS_DIR)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  .map((name) => path.join(AWS_DIR, name));
const writes = sources.filter((file) => path.basename(file) === 'writes.ts');
const reads = sources.filter((file) => !writes.includes(file));

describe('the IAM policies in deploy/iam', () => {
  it('read-only.json allows exactly the actions of the reads', () => {
    expect([...policyActions('read-only.json')].sort()).toEqual([...calledActions(reads)].sort());
  });

  it('operator.json allows exactly the reads and the writes of the guided actions', () => {
    const expected = new Set([...calledActions(reads), ...calledActions(writes)]);
    expect([...policyActions('operator.json')].sort()).toEqual([...expected].sort());
  });
});
