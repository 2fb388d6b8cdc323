import type { Metadata } from 'next';
import { AuthNoneBanner } from '@/app/auth/auth-none-banner';
import { TopBar } from '@/components/shell/top-bar';
import './globals.css';

export const metadata: Metadata = {
  title: 'Workload Identity Console',
  description: 'Which AWS identity do these pods really get, and what is broken about it?',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <AuthNoneBanner />
        <TopBar />
        {children}
      </body>
    </html>
  );
}
