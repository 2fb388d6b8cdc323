'use client';

import { useEffect } from 'react';

/**
 * Brings the element named by the URL's fragment into view once streamed content holding it has mounted.
 * The browser (and Next's client navigation) scrolls to a fragment only if the element exists when the page
 * first paints; a section that streams in after a Suspense fallback would otherwise be left below the fold.
 */
export function ScrollToHash({ ids }: { ids: readonly string[] }) {
  const key = ids.join('\n');
  useEffect(() => {
    const known = new Set(key.split('\n'));
    const reveal = () => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      if (!id || !known.has(id)) return;
      document.getElementById(id)?.scrollIntoView({ block: 'start' });
    };
    reveal();
    window.addEventListener('hashchange', reveal);
    return () => window.removeEventListener('hashchange', reveal);
  }, [key]);
  return null;
}
