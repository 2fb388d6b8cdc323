import Link from 'next/link';

export default function ActivityNotFound() {
  return (
    <main className="p-6">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">This activity does not exist or is outside your scope.</p>
      <Link href="/activity" className="mt-4 inline-block text-sm underline">
        Back to Activity
      </Link>
    </main>
  );
}
