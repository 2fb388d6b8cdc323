import { z } from 'zod';
import { parseDurationSeconds } from './duration';
import { parseS3Url } from './destination';
import { DEFAULT_ETCD_SCHEDULE_CRON, scheduleIntervalSeconds } from './schedule';

// The console config's `snapshots` section. Restate sources listed here cover Restate clusters outside
// Kubernetes, and override what discovery finds for the same URL (name, interval, threshold, writer).

const duration = z.string().superRefine((value, ctx) => {
  try {
    parseDurationSeconds(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const cronExpression = z.string().superRefine((value, ctx) => {
  try {
    scheduleIntervalSeconds(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const kubeName = z.string().min(1);

export const restateSourceConfigSchema = z
  .object({
    url: z.string().superRefine((value, ctx) => {
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.test(value)) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a destination URL like s3://bucket/prefix` });
        return;
      }
      if (value.toLowerCase().startsWith('s3://') && !parseS3Url(value)) {
        ctx.addIssue({ code: 'custom', message: `"${value}" has no bucket` });
      }
    }),
    name: z.string().min(1).optional(),
    /** Restate's `snapshot-interval` for this source; the threshold is then 2 × it (findings.md SN001). */
    snapshotInterval: duration.optional(),
    /** Used when the source has no time-based interval (findings.md SN001). */
    maxAge: duration.optional(),
    /** An explicit threshold that wins over every other rule. */
    threshold: duration.optional(),
    writer: z.object({ cluster: kubeName, namespace: kubeName, serviceAccount: kubeName }).strict().optional(),
    /** The bucket's account and region, for picking the reader's credentials. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
      .optional(),
    region: z.string().min(1).optional(),
  })
  .strict();

export const snapshotsConfigSchema = z
  .object({
    restate: z.array(restateSourceConfigSchema).default([]),
    etcd: z
      .object({
        /** K3s/RKE2 `etcd-snapshot-schedule-cron`; K3s's default is every 12 hours. */
        schedule: cronExpression.default(DEFAULT_ETCD_SCHEDULE_CRON),
        /** Per cluster name, when a cluster's servers run another schedule. */
        clusters: z.record(z.string(), z.object({ schedule: cronExpression }).strict()).default({}),
      })
      .strict()
      .default({ schedule: DEFAULT_ETCD_SCHEDULE_CRON, clusters: {} }),
  })
  .strict();

export type RestateSourceConfig = z.infer<typeof restateSourceConfigSchema>;
export type SnapshotsConfig = z.infer<typeof snapshotsConfigSchema>;

/** Parses the `snapshots` section; the error names each bad field by its path, e.g. `snapshots.restate[1].maxAge`. */
export function parseSnapshotsConfig(input: unknown, where = 'snapshots'): SnapshotsConfig {
  const result = snapshotsConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : `${text}.${String(segment)}`),
      where,
    );
    return `${path}: ${issue.message}`;
  });
  throw new Error(`Invalid console config:\n${lines.join('\n')}`);
}
