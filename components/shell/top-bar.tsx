import Link from 'next/link';
import { Suspense } from 'react';
import { SignedInUser } from './signed-in-user';

const NAV = [
  { href: '/', label: 'Service accounts' },
  { href: '/activity', label: 'Activity' },
];

export function TopBar() {
  return (
    <header className="flex items-center justify-between bg-slate-900 px-6 py-2 text-white">
      <div className="flex items-center gap-6">
        <Link href="/" className="font-semibold tracking-tight">
          Workload Identity Console
        </Link>
        <nav className="flex gap-4 text-sm text-slate-300">
          {NAV.map((item) => (
            <Link key={item.href} href={item.href} className="hover:text-white">
              {item.label}
            </Link>
          ))}
        </nav>
      </div>
      <Suspense fallback={null}>
        <SignedInUser />
      </Suspense>
    </header>
  );
}
