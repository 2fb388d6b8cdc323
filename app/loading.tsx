export default function Loading() {
  return <main className="p-6 text-sm text-slate-500">Loading…</main>;
}
