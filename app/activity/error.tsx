'use client';

export default function ActivityError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="p-6">
      <h1 className="text-xl font-semibold">Activity could not be loaded</h1>
      <p role="alert" className="mt-2 text-sm text-red-800">
        {error.message}
        {error.digest ? ` (ref ${error.digest})` : ''}
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
        Try again
      </button>
    </main>
  );
}
