// metav1.Status: every error the API server returns has this body, and client-node and kubectl read it.

export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string;
      group?: string;
      kind?: string;
      causes?: { reason?: string; message: string; field?: string }[];
      retryAfterSeconds?: number;
    },
  ) {
    super(message);
  }

  /** ListMeta of the Status (an expired continue token's 410 carries the token that goes on). */
  listMetadata?: { continue?: string };

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.listMetadata ?? {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      details: this.details,
      code: this.code,
    };
  }
}

export const notFound = (resource: string, name: string, group = '') =>
  new KubeError(404, 'NotFound', `${resource}${group ? `.${group}` : ''} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const alreadyExists = (resource: string, name: string, group = '') =>
  new KubeError(409, 'AlreadyExists', `${resource}${group ? `.${group}` : ''} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const conflict = (resource: string, name: string, group = '') =>
  new KubeError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resource}${group ? `.${group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: group || undefined, kind: resource },
  );

export const badRequest = (message: string) => new KubeError(400, 'BadRequest', message);
