'use client';

import { useState } from 'react';

/** Copies `text` to the clipboard; the label says what gets copied, for screen readers and tests. */
export function CopyButton({ text, label = 'Copy', className = '' }: { text: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={label}
      title={copied ? 'Copied' : label}
      onClick={async (event) => {
        event.preventDefault();
        event.stopPropagation();
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        } catch {
          // Clipboard blocked (insecure context): select nothing, the text is still on screen to copy by hand.
        }
      }}
      className={`inline-flex size-5 shrink-0 items-center justify-center rounded text-neutral-500 hover:bg-neutral-200 hover:text-neutral-700 focus-visible:outline-2 focus-visible:outline-sky-500 ${className}`}
    >
      {copied ? (
        <svg viewBox="0 0 16 16" className="size-3.5" aria-hidden="true">
          <path fill="currentColor" d="M6.2 11.4 2.8 8l-1 1 4.4 4.4 8-8-1-1z" />
        </svg>
      ) : (
        <svg viewBox="0 0 16 16" className="size-3.5" aria-hidden="true">
          <path
            fill="currentColor"
            d="M5 2h7a1 1 0 0 1 1 1v8h-1.5V3.5H5zM3 5h7a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1m.5 1.5v6h6v-6z"
          />
        </svg>
      )}
    </button>
  );
}

/**
 * An ARN or command in monospace with a copy button; `display` is the short form shown, `value` what is copied.
 * A shortened value shows its full text on hover and on keyboard focus (it is focusable when shortened).
 */
export function CopyableCode({ value, display, title, wrap = false }: { value: string; display?: string; title?: string; wrap?: boolean }) {
  const shortened = display !== undefined && display !== value;
  return (
    <span className={`group relative inline-flex max-w-full gap-1 ${wrap ? 'items-start' : 'items-center'}`}>
      <code
        title={title ?? value}
        tabIndex={shortened ? 0 : undefined}
        aria-label={shortened ? value : undefined}
        className={`rounded-sm font-mono text-[12px] text-neutral-800 focus-visible:outline-2 focus-visible:outline-sky-600 ${wrap ? 'break-all' : 'truncate'}`}
      >
        {display ?? value}
      </code>
      {shortened && (
        <span
          aria-hidden="true"
          className="pointer-events-none absolute top-full left-0 z-20 mt-1 hidden w-max max-w-[min(32rem,80vw)] rounded-md bg-neutral-900 px-2 py-1 font-mono text-[11.5px] break-all text-white shadow-lg group-focus-within:block"
        >
          {value}
        </span>
      )}
      <CopyButton
        text={value}
        label={`Copy ${value}`}
        className="opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 focus:opacity-100 [@media(hover:none)]:opacity-100"
      />
    </span>
  );
}
