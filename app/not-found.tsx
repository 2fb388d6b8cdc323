import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="p-6">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">That page does not exist, or it is outside your scope.</p>
      <Link href="/" className="mt-4 inline-block text-sm underline">Back to service accounts</Link>
    </main>
  );
}
