// Small display helpers shared by the pages, the components and the CSV export. Pure: safe on server and client.

/** 59 -> "59 s", 3600 -> "1 h", 90061 -> "1 d 1 h": a duration or an age as an on-call engineer reads it. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

/**
 * RFC 3339 -> "2026-11-22 09:14:03 UTC+00:00": every time the console shows, in UTC (so every on-call engineer
 * reads the same time) with the offset spelled out, second precision; "unknown" when there is none.
 */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return 'unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC+00:00`;
}

/** "HH:MM:SS" in UTC, for the "data as of" indicator (UTC so every on-call engineer sees the same time). */
export function formatClockTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return 'unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown';
  return date.toISOString().slice(11, 19);
}

/** The path of a service account's page; each segment is encoded so odd cluster names survive. */
export function serviceAccountPath(cluster: string, namespace: string, name: string): string {
  return `/serviceaccounts/${encodeURIComponent(cluster)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function clusterPath(cluster: string): string {
  return `/clusters/${encodeURIComponent(cluster)}`;
}
