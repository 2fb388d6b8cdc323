'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const NAV = [
  { href: '/', label: 'Service accounts', matches: (path: string) => path === '/' || path.startsWith('/serviceaccounts') },
  { href: '/clusters', label: 'Clusters', matches: (path: string) => path.startsWith('/clusters') },
  { href: '/access', label: 'Who can', matches: (path: string) => path.startsWith('/access') },
  { href: '/snapshots', label: 'Snapshots', matches: (path: string) => path.startsWith('/snapshots') },
  { href: '/migrations', label: 'To Pod Identity', matches: (path: string) => path.startsWith('/migrations') },
  { href: '/activity', label: 'Activity', matches: (path: string) => path.startsWith('/activity') },
];

export function NavLinks() {
  const pathname = usePathname() ?? '/';
  return (
    <nav aria-label="Main" className="flex items-center gap-1 text-[13px] max-md:flex-col max-md:items-stretch">
      {NAV.map((item) => {
        const active = item.matches(pathname);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? 'page' : undefined}
            className={`rounded-md px-2.5 py-1.5 font-medium transition-colors ${active ? 'bg-white/10 text-white' : 'text-neutral-300 hover:bg-white/5 hover:text-white'}`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
