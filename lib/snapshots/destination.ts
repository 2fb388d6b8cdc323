// Restate's `[worker.snapshots] destination`: "s3://bucket/prefix" (also "az://" and "gs://" since Restate 1.6,
// which the console cannot read: it reads snapshots only through S3).

export interface S3Location {
  bucket: string;
  /** Without leading or trailing slashes; "" for the bucket root. */
  prefix: string;
}

export function parseS3Url(url: string): S3Location | null {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url.trim());
  if (!match || match[1] === '') return null;
  return { bucket: match[1], prefix: match[2].replace(/^\/+|\/+$/g, '') };
}

/** The form sources are keyed and shown by: scheme lower-cased, no trailing slash. */
export function normalizeDestinationUrl(url: string): string {
  const text = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!scheme) return text.replace(/\/+$/, '');
  const rest = text.slice(scheme[0].length).replace(/\/+$/, '');
  return `${scheme[1].toLowerCase()}://${rest}`;
}

export function destinationScheme(url: string): string | null {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(url.trim())?.[1].toLowerCase() ?? null;
}

/** The key prefix a partition id's objects live under. */
export function partitionPrefix(location: S3Location, partitionId: number | string): string {
  return location.prefix === '' ? `${partitionId}/` : `${location.prefix}/${partitionId}/`;
}
