import type { ResourceType } from './resources';
import type { KubeObj } from './store';

// Server-side printing: `kubectl get` asks for `application/json;as=Table;v=v1;g=meta.k8s.io` and prints the
// columns the API server chooses. The columns and cells follow the API server's printers
// (kubernetes pkg/printers/internalversion/printers.go) and, for custom resources, the CRD's
// additionalPrinterColumns (apiextensions-apiserver pkg/registry/customresource/tableconvertor).

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
}

type Cell = string | number | boolean;
type Obj = KubeObj & {
  metadata: KubeObj['metadata'] & Record<string, unknown>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The Table version a client asks for in Accept, or undefined when it wants plain objects. */
export function requestedTableVersion(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  for (const mediaType of (accept ?? '').split(',')) {
    const [type, ...params] = mediaType.split(';').map((p) => p.trim());
    if (type !== 'application/json') continue;
    const values = new Map(params.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
    if (values.get('as') !== 'Table' || values.get('g') !== 'meta.k8s.io') continue;
    const version = values.get('v');
    if (version === 'v1' || version === 'v1beta1') return version;
  }
  return undefined;
}

/** duration.HumanDuration from k8s.io/apimachinery: the AGE column's format. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

function since(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || !timestamp) return '<unknown>';
  return humanDuration(now.getTime() - new Date(timestamp).getTime());
}

const col = (name: string, type: TableColumn['type'], description: string, priority = 0, format = ''): TableColumn => ({
  name,
  type,
  format,
  description,
  priority,
});
const NAME = col(
  'Name',
  'string',
  'Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  0,
  'name',
);
const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', 1);
const SELECTOR = col('Selector', 'string', 'Label selector for pods.', 1);

function podTemplateCells(template: unknown): [string, string] {
  const containers = (template as { spec?: { containers?: { name: string; image?: string }[] } })?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
}

function formatSelector(selector: unknown): string {
  const s = selector as
    { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined;
  const parts = [
    ...Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s?.matchExpressions ?? []).map((e) =>
      e.operator === 'Exists'
        ? e.key
        : e.operator === 'DoesNotExist'
          ? `!${e.key}`
          : `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`,
    ),
  ];
  return parts.length ? parts.join(',') : '<none>';
}

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: { reason?: string; signal?: number; exitCode?: number } };
}

/** printPod: READY, STATUS (the reason logic kubectl users know), RESTARTS. */
function podCells(pod: Obj): Cell[] {
  const status = (pod.status ?? {}) as {
    phase?: string;
    reason?: string;
    containerStatuses?: ContainerStatus[];
    podIP?: string;
    conditions?: { type: string; status: string }[];
  };
  const spec = (pod.spec ?? {}) as { containers?: unknown[]; nodeName?: string; readinessGates?: { conditionType: string }[] };
  let reason = status.reason || status.phase || 'Unknown';
  let ready = 0;
  let restarts = 0;
  let hasRunning = false;
  for (const container of [...(status.containerStatuses ?? [])].reverse()) {
    restarts += container.restartCount ?? 0;
    const state = container.state ?? {};
    if (state.waiting?.reason) reason = state.waiting.reason;
    else if (state.terminated?.reason) reason = state.terminated.reason;
    else if (state.terminated)
      reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode ?? 0}`;
    else if (container.ready && state.running) {
      hasRunning = true;
      ready += 1;
    }
  }
  if (reason === 'Completed' && hasRunning)
    reason = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const gates = spec.readinessGates ?? [];
  const gatesReady = gates.filter((g) => status.conditions?.some((c) => c.type === g.conditionType && c.status === 'True')).length;
  return [
    `${ready}/${(spec.containers ?? []).length}`,
    reason,
    String(restarts),
    '',
    status.podIP || '<none>',
    spec.nodeName || '<none>',
    '<none>',
    gates.length ? `${gatesReady}/${gates.length}` : '<none>',
  ];
}

interface Printer {
  /** Columns after Name, in the printer's order. */
  columns: TableColumn[];
  cells(object: Obj, now: Date): Cell[];
}

const num = (value: unknown) => (typeof value === 'number' ? value : 0);

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col(
        'Restarts',
        'string',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      AGE,
      col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      col('Node', 'string', 'NodeName is a request to schedule this pod onto a specific node.', 1),
      col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
      col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
    ],
    cells: (pod, now) => {
      const cells = podCells(pod);
      cells[3] = since(pod.metadata.creationTimestamp, now);
      return cells;
    },
  },
  ServiceAccount: {
    columns: [
      col(
        'Secrets',
        'string',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ),
      AGE,
    ],
    cells: (sa, now) => [((sa as { secrets?: unknown[] }).secrets ?? []).length, since(sa.metadata.creationTimestamp, now)],
  },
  Deployment: {
    columns: [
      col('Ready', 'string', 'Number of the pod with ready state'),
      col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (d, now) => [
      `${num(d.status?.readyReplicas)}/${typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1}`,
      num(d.status?.updatedReplicas),
      num(d.status?.availableReplicas),
      since(d.metadata.creationTimestamp, now),
      ...podTemplateCells(d.spec?.template),
      formatSelector(d.spec?.selector),
    ],
  },
  ReplicaSet: {
    columns: [
      col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
      col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
      col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (rs, now) => [
      num(rs.spec?.replicas),
      num(rs.status?.replicas),
      num(rs.status?.readyReplicas),
      since(rs.metadata.creationTimestamp, now),
      ...podTemplateCells(rs.spec?.template),
      formatSelector(rs.spec?.selector),
    ],
  },
  StatefulSet: {
    columns: [col('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
    cells: (sts, now) => [
      `${num(sts.status?.readyReplicas)}/${typeof sts.spec?.replicas === 'number' ? sts.spec.replicas : 1}`,
      since(sts.metadata.creationTimestamp, now),
      ...podTemplateCells(sts.spec?.template),
    ],
  },
  DaemonSet: {
    columns: [
      col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
      col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
      col(
        'Ready',
        'integer',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
      ),
      col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
      col(
        'Available',
        'integer',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
      ),
      col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (ds, now) => {
      const nodeSelector =
        (ds.spec?.template as { spec?: { nodeSelector?: Record<string, string> } } | undefined)?.spec?.nodeSelector ?? {};
      return [
        num(ds.status?.desiredNumberScheduled),
        num(ds.status?.currentNumberScheduled),
        num(ds.status?.numberReady),
        num(ds.status?.updatedNumberScheduled),
        num(ds.status?.numberAvailable),
        Object.keys(nodeSelector).length
          ? Object.entries(nodeSelector)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')
          : '<none>',
        since(ds.metadata.creationTimestamp, now),
        ...podTemplateCells(ds.spec?.template),
        formatSelector(ds.spec?.selector),
      ];
    },
  },
  Job: {
    columns: [
      col('Status', 'string', 'Status of the job.'),
      col('Completions', 'string', 'The desired number of successfully finished pods the job should be run with.'),
      col('Duration', 'string', 'Time required to complete the job.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (job, now) => {
      const status = (job.status ?? {}) as {
        succeeded?: number;
        startTime?: string;
        completionTime?: string;
        conditions?: { type: string; status: string }[];
      };
      const condition = (type: string) => status.conditions?.some((c) => c.type === type && c.status === 'True');
      const state = condition('Complete') ? 'Complete' : condition('Failed') ? 'Failed' : job.spec?.suspend ? 'Suspended' : 'Running';
      const start = status.startTime ? new Date(status.startTime).getTime() : undefined;
      const end = status.completionTime ? new Date(status.completionTime).getTime() : now.getTime();
      return [
        state,
        `${status.succeeded ?? 0}/${typeof job.spec?.completions === 'number' ? job.spec.completions : 1}`,
        start === undefined ? '' : humanDuration(end - start),
        since(job.metadata.creationTimestamp, now),
        ...podTemplateCells(job.spec?.template),
        formatSelector(job.spec?.selector),
      ];
    },
  },
  CronJob: {
    columns: [
      col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      col('Timezone', 'string', 'The time zone name for the given schedule.'),
      col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
      col('Active', 'integer', 'A list of pointers to currently running jobs.'),
      col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
      AGE,
    ],
    cells: (cj, now) => [
      String(cj.spec?.schedule ?? ''),
      typeof cj.spec?.timeZone === 'string' ? cj.spec.timeZone : '<none>',
      cj.spec?.suspend === true,
      ((cj.status?.active as unknown[] | undefined) ?? []).length,
      cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>',
      since(cj.metadata.creationTimestamp, now),
    ],
  },
  Namespace: {
    columns: [col('Status', 'string', 'The status of the namespace'), AGE],
    cells: (ns, now) => [String(ns.status?.phase ?? 'Active'), since(ns.metadata.creationTimestamp, now)],
  },
  Node: {
    columns: [
      col('Status', 'string', 'The status of the node'),
      col('Roles', 'string', 'The roles of the node'),
      AGE,
      col('Version', 'string', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
      col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
      col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
      col('Kernel-Version', 'string', 'Kernel Version reported by the node.', 1),
      col('Container-Runtime', 'string', 'Container Runtime Version reported by the node.', 1),
    ],
    cells: (node, now) => {
      const status = (node.status ?? {}) as {
        conditions?: { type: string; status: string }[];
        nodeInfo?: Record<string, string>;
        addresses?: { type: string; address: string }[];
      };
      const ready = status.conditions?.find((c) => c.type === 'Ready');
      const state = [
        ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown',
        ...(node.spec?.unschedulable ? ['SchedulingDisabled'] : []),
      ].join(',');
      const labels = (node.metadata.labels ?? {}) as Record<string, string>;
      const roles = Object.keys(labels)
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length))
        .filter(Boolean)
        .sort();
      const address = (type: string) => status.addresses?.find((a) => a.type === type)?.address ?? '<none>';
      return [
        state,
        roles.length ? roles.join(',') : '<none>',
        since(node.metadata.creationTimestamp, now),
        status.nodeInfo?.kubeletVersion ?? '',
        address('InternalIP'),
        address('ExternalIP'),
        status.nodeInfo?.osImage ?? '<unknown>',
        status.nodeInfo?.kernelVersion ?? '<unknown>',
        status.nodeInfo?.containerRuntimeVersion ?? '<unknown>',
      ];
    },
  },
  ConfigMap: {
    columns: [col('Data', 'integer', 'Data contains the configuration data.'), AGE],
    cells: (cm, now) => [
      Object.keys((cm as { data?: object }).data ?? {}).length + Object.keys((cm as { binaryData?: object }).binaryData ?? {}).length,
      since(cm.metadata.creationTimestamp, now),
    ],
  },
  Secret: {
    columns: [
      col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
      col('Data', 'integer', 'Data contains the secret data.'),
      AGE,
    ],
    cells: (secret, now) => [
      String((secret as { type?: string }).type ?? 'Opaque'),
      Object.keys((secret as { data?: object }).data ?? {}).length +
        Object.keys((secret as { stringData?: object }).stringData ?? {}).length,
      since(secret.metadata.creationTimestamp, now),
    ],
  },
  PodDisruptionBudget: {
    columns: [
      col('Min Available', 'string', 'The minimum number of pods that must be available simultaneously.'),
      col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable simultaneously.'),
      col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
      AGE,
    ],
    cells: (pdb, now) => [
      pdb.spec?.minAvailable !== undefined ? String(pdb.spec.minAvailable) : 'N/A',
      pdb.spec?.maxUnavailable !== undefined ? String(pdb.spec.maxUnavailable) : 'N/A',
      num(pdb.status?.disruptionsAllowed),
      since(pdb.metadata.creationTimestamp, now),
    ],
  },
  CustomResourceDefinition: {
    columns: [col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
    cells: (crd) => [String(crd.metadata.creationTimestamp ?? '')],
  },
};

/** The Event printer's columns lead with LAST SEEN, not NAME. */
const EVENT_COLUMNS: TableColumn[] = [
  col('Last Seen', 'string', 'Time when last event occurred.'),
  col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.'),
  col('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for this event being generated.'),
  col('Object', 'string', 'The object that this event is about.'),
  col('Message', 'string', 'A human-readable description of the status of this operation.'),
];

function eventCells(event: Obj, now: Date): Cell[] {
  const e = event as Obj & {
    lastTimestamp?: string;
    eventTime?: string;
    type?: string;
    reason?: string;
    message?: string;
    involvedObject?: { kind?: string; name?: string };
  };
  const last = e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
  return [
    since(last, now),
    e.type ?? '',
    e.reason ?? '',
    `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
    (e.message ?? '').trim(),
  ];
}

/** A JSONPath of the simple form CRDs use (`.spec.replicas`, `.status.phase`). */
function readJsonPath(object: unknown, jsonPath: string): unknown {
  let value: unknown = object;
  for (const part of jsonPath
    .replace(/^\{?\.?/, '')
    .replace(/\}$/, '')
    .split('.')
    .filter(Boolean)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function customColumns(type: ResourceType): { columns: TableColumn[]; cells(object: Obj, now: Date): Cell[] } {
  // A CRD without printer columns gets AGE (the apiextensions defaulting adds `.metadata.creationTimestamp`).
  const printerColumns: PrinterColumn[] = type.printerColumns?.length
    ? type.printerColumns
    : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return {
    columns: printerColumns.map((c) =>
      col(
        c.name,
        (['string', 'integer', 'number', 'boolean', 'date'].includes(c.type) ? c.type : 'string') as TableColumn['type'],
        c.description ?? '',
        c.priority ?? 0,
      ),
    ),
    cells: (object, now) =>
      printerColumns.map((c) => {
        const value = readJsonPath(object, c.jsonPath);
        if (value === undefined || value === null) return '<none>';
        if (c.type === 'date') return since(value, now);
        return typeof value === 'object' ? JSON.stringify(value) : (value as Cell);
      }),
  };
}

const BUILTIN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'apiextensions.k8s.io']);

/** A meta.k8s.io Table of these objects, rows in list order. */
export function toTable(
  type: ResourceType,
  objects: { object: KubeObj; json: Buffer }[],
  options: {
    version: 'v1' | 'v1beta1';
    now: Date;
    includeObject: IncludeObject;
    resourceVersion?: string;
    continue?: string;
    noHeaders?: boolean;
  },
): string {
  const printer = type.kind === 'Event' ? undefined : BUILTIN_GROUPS.has(type.group) ? PRINTERS[type.kind] : customColumns(type);
  const columns = type.kind === 'Event' ? EVENT_COLUMNS : [NAME, ...(printer?.columns ?? [AGE])];
  const rows = objects.map(({ object, json }) => {
    const obj = object as Obj;
    const cells =
      type.kind === 'Event'
        ? eventCells(obj, options.now)
        : [obj.metadata.name, ...(printer ? printer.cells(obj, options.now) : [since(obj.metadata.creationTimestamp, options.now)])];
    // kubectl reads the NAMESPACE column and labels from the row's object (PartialObjectMetadata by default).
    const rowObject =
      options.includeObject === 'None'
        ? undefined
        : options.includeObject === 'Object'
          ? `,"object":${json.toString('utf8')}`
          : `,"object":${JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${options.version}`, metadata: obj.metadata })}`;
    return `{"cells":${JSON.stringify(cells)}${rowObject ?? ''}}`;
  });
  const metadata = JSON.stringify({
    resourceVersion: options.resourceVersion,
    ...(options.continue ? { continue: options.continue } : {}),
  });
  return `{"kind":"Table","apiVersion":"meta.k8s.io/${options.version}","metadata":${metadata},"columnDefinitions":${options.noHeaders ? '[]' : JSON.stringify(columns)},"rows":[${rows.join(',')}]}`;
}
