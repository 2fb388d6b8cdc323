export default function ActivityLoading() {
  return (
    <main className="p-6 text-sm text-slate-600" aria-busy="true">
      Loading activity…
    </main>
  );
}
