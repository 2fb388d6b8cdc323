import type { Metadata } from 'next';
import { AuthNoneBanner } from '@/app/auth/auth-none-banner';
import { Providers } from '@/components/shell/providers';
import { TopBar } from '@/components/shell/top-bar';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Workload Identity Console', template: '%s · Workload Identity Console' },
  description: 'Which AWS identity do these pods really get, and what is broken about it?',
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '32x32' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
    apple: '/apple-touch-icon.png',
  },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-neutral-50 text-[14px] text-neutral-900 antialiased">
        {/* The header inside the providers too: its live indicator patches the pages' query cache. */}
        <Providers>
          <AuthNoneBanner />
          <TopBar />
          {children}
        </Providers>
      </body>
    </html>
  );
}
