import { parse as parseToml } from 'smol-toml';
import { parseDurationSeconds } from './duration';
import type { ResolvedSetting, RestateSnapshotSettings, SourceProblem } from './types';

// Restate's `[worker.snapshots]` (restatedev/restate crates/types/src/config/worker.rs), layered as Restate
// does: defaults < config file < env (RESTATE_WORKER__SNAPSHOTS__*) < command line (domain.md §2a).

export const SNAPSHOT_ENV_PREFIX = 'RESTATE_WORKER__SNAPSHOTS__';

/** TOML key (kebab-case, as Restate's serde config spells it) → env var suffix. */
const SETTING_KEYS = {
  destination: 'destination',
  snapshotInterval: 'snapshot-interval',
  snapshotIntervalNumRecords: 'snapshot-interval-num-records',
  awsRegion: 'aws-region',
  awsEndpointUrl: 'aws-endpoint-url',
  awsProfile: 'aws-profile',
  awsAccessKeyId: 'aws-access-key-id',
  awsSecretAccessKey: 'aws-secret-access-key',
} as const;

type SettingName = keyof typeof SETTING_KEYS;

export function envNameFor(tomlKey: string): string {
  return SNAPSHOT_ENV_PREFIX + tomlKey.toUpperCase().replace(/-/g, '_');
}

/** An env var of the writer's container, already resolved to a value where the console could. */
export interface ResolvedEnvVar {
  value: string;
  /** e.g. "env RESTATE_WORKER__SNAPSHOTS__DESTINATION" or "env … from ConfigMap ns/name key k". */
  from: string;
}

export interface RestateConfigFile {
  text: string;
  /** Where the file came from, e.g. "RestateCluster prod spec.config" or "ConfigMap restate/restate-config key config.toml". */
  from: string;
}

export interface LayeredSnapshotConfig {
  settings: RestateSnapshotSettings;
  problems: SourceProblem[];
  /** true when neither file nor env says anything about snapshots: the workload is not a snapshot writer. */
  silent: boolean;
}

/** Layers a Restate config file and env into the effective `[worker.snapshots]`. Never throws: bad input becomes problems. */
export function layerSnapshotConfig(file: RestateConfigFile | null, env: Map<string, ResolvedEnvVar>): LayeredSnapshotConfig {
  const problems: SourceProblem[] = [];
  const raw = new Map<SettingName, ResolvedSetting<unknown>>();

  if (file) {
    let table: Record<string, unknown> | null = null;
    try {
      table = parseToml(file.text) as Record<string, unknown>;
    } catch (error) {
      problems.push({
        reason: 'The Restate config file is not valid TOML: Restate refuses to start with it.',
        evidence: { file: file.from, error: (error as Error).message.split('\n')[0] },
      });
    }
    const worker = table?.worker;
    const snapshots = isTable(worker) ? worker.snapshots : undefined;
    if (isTable(snapshots)) {
      for (const [name, key] of Object.entries(SETTING_KEYS) as [SettingName, string][]) {
        if (snapshots[key] !== undefined) raw.set(name, { value: snapshots[key], from: `${file.from} [worker.snapshots] ${key}` });
      }
    }
  }
  for (const [name, key] of Object.entries(SETTING_KEYS) as [SettingName, string][]) {
    const variable = env.get(envNameFor(key));
    if (variable !== undefined) raw.set(name, { value: variable.value, from: variable.from });
  }

  const settings: RestateSnapshotSettings = { credentialSource: 'default-chain' };
  const destination = raw.get('destination');
  if (destination) {
    if (typeof destination.value === 'string' && destination.value.trim() !== '') {
      settings.destination = { value: destination.value.trim(), from: destination.from };
    } else {
      problems.push({
        reason: 'The snapshot destination is empty or not a string.',
        evidence: { setting: destination.from, value: destination.value },
      });
    }
  }
  const interval = raw.get('snapshotInterval');
  if (interval) {
    try {
      if (typeof interval.value !== 'string')
        throw new Error(`expected a duration string such as "1h", got ${JSON.stringify(interval.value)}`);
      const seconds = parseDurationSeconds(interval.value);
      if (seconds <= 0) throw new Error('it must be longer than zero');
      settings.snapshotInterval = { value: seconds, from: interval.from };
    } catch (error) {
      problems.push({
        reason: 'snapshot-interval is not a valid duration: Restate refuses to start.',
        evidence: { setting: interval.from, value: interval.value, error: (error as Error).message },
      });
    }
  }
  const numRecords = raw.get('snapshotIntervalNumRecords');
  if (numRecords) {
    const count =
      typeof numRecords.value === 'number'
        ? numRecords.value
        : /^\s*\d+\s*$/.test(String(numRecords.value))
          ? Number(numRecords.value)
          : NaN;
    if (Number.isInteger(count) && count > 0) settings.snapshotIntervalNumRecords = { value: count, from: numRecords.from };
    else {
      problems.push({
        reason: 'snapshot-interval-num-records is not a positive integer: Restate refuses to start.',
        evidence: { setting: numRecords.from, value: numRecords.value },
      });
    }
  }
  for (const name of ['awsRegion', 'awsEndpointUrl'] as const) {
    const setting = raw.get(name);
    if (setting && typeof setting.value === 'string' && setting.value !== '') settings[name] = { value: setting.value, from: setting.from };
  }
  if (raw.has('awsAccessKeyId') || raw.has('awsSecretAccessKey')) settings.credentialSource = 'static-keys';
  else if (raw.has('awsProfile')) settings.credentialSource = 'profile';

  if (!settings.destination && (settings.snapshotInterval || settings.snapshotIntervalNumRecords)) {
    // worker.rs validation: an interval without a destination is a startup error.
    problems.push({
      reason: 'A snapshot interval is set without a destination: Restate refuses to start, so no snapshots are taken.',
      evidence: {
        snapshotInterval: settings.snapshotInterval?.from,
        snapshotIntervalNumRecords: settings.snapshotIntervalNumRecords?.from,
      },
    });
  }
  const silent = raw.size === 0 && problems.length === 0;
  return { settings, problems, silent };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
