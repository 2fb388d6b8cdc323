import fs from 'node:fs';
import path from 'node:path';

// What global setup started, for the specs (they run in worker processes).
export interface StackInfo {
  consoleUrl: string;
  issuer: string;
  controlUrl: string;
  kubeconfigPath: string;
  /** AWS_ENDPOINT_URL, region and the console account's keys: for verifying with the aws CLI what the console did. */
  awsEnv: Record<string, string>;
}

export const STACK_INFO_FILE = path.join(__dirname, '..', '.data', 'e2e', 'stack.json');

export function readStackInfo(): StackInfo {
  return JSON.parse(fs.readFileSync(STACK_INFO_FILE, 'utf8')) as StackInfo;
}
