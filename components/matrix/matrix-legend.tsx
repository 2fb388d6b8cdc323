import { MechanismBadge } from './mechanism-badge';

// The matrix's shorthand in words (issue 14, problem 11): "PI 2", "none 2", "static 1", "2 / 0",
// "SDK default ✓". Shown as a legend under the table and in the Help popover above it; both are plain
// elements, so they read the same by keyboard, touch and screen reader.

const ENTRIES: { term: React.ReactNode; text: string }[] = [
  { term: <MechanismBadge mechanism="pod-identity" short count={2} />, text: '2 running pods get credentials from EKS Pod Identity.' },
  { term: <MechanismBadge mechanism="irsa" short count={2} />, text: '2 pods get a web identity token for an IAM role (IRSA).' },
  {
    term: <MechanismBadge mechanism="both" short count={1} />,
    text: 'Pod Identity and IRSA are both injected; the SDK uses Pod Identity (it comes first in the credential chain).',
  },
  {
    term: <MechanismBadge mechanism="static-keys" short count={1} />,
    text: 'Static AWS access keys in the environment: long-lived secrets.',
  },
  {
    term: <MechanismBadge mechanism="none" short count={2} />,
    text: "No AWS identity injected: the SDK falls back to the node's instance role, if it can reach it.",
  },
  {
    term: <span className="text-[11px] font-semibold text-amber-800 uppercase">mixed</span>,
    text: 'The pods of one service account get different mechanisms.',
  },
  {
    term: <span className="font-mono text-[12px]">2 / 0</span>,
    text: 'Running pods / pods started before the current identity setup (they need a roll).',
  },
  {
    term: <span className="text-[12px] text-emerald-700">regional ✓</span>,
    text: 'Every IRSA pod uses the regional STS endpoint, as it should.',
  },
  {
    term: <span className="text-[12px] text-neutral-700">SDK default ✓</span>,
    text: "The service account asks for no STS mode; its pods use their SDK's default endpoint, as desired.",
  },
  {
    term: <span className="text-[12px] text-amber-800">desired … · running …</span>,
    text: 'Some IRSA pods run with another STS endpoint than desired.',
  },
  { term: <span className="text-neutral-500">—</span>, text: 'Not used by this service account.' },
  { term: <span className="text-[12px] text-neutral-500 italic">unknown</span>, text: 'Could not be read; hover or focus it for why.' },
  {
    term: (
      <span
        className="inline-block h-4 w-8 rounded-sm bg-red-50 shadow-[inset_3px_0_0_var(--color-red-600)]"
        aria-label="a row with a red edge"
      />
    ),
    text: 'A row with an error finding: its pods cannot get the AWS identity they should.',
  },
  {
    term: <span className="font-mono text-[11px]">PI002</span>,
    text: 'A finding code: focus or tap it for its title; the service account page explains it.',
  },
];

export function LegendList() {
  return (
    <dl className="grid grid-cols-[max-content_1fr] items-baseline gap-x-3 gap-y-1.5 text-[12.5px] text-neutral-700">
      {ENTRIES.map((entry, index) => (
        <div key={index} className="contents">
          <dt className="justify-self-start">{entry.term}</dt>
          <dd>{entry.text}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The legend under the table, folded so it costs one line. */
export function MatrixLegend() {
  return (
    <details className="rounded-lg border border-neutral-200 bg-white px-3 py-2" data-testid="matrix-legend">
      <summary className="cursor-pointer text-[12.5px] font-medium text-neutral-700 select-none">What the shorthand means</summary>
      <div className="mt-2">
        <LegendList />
      </div>
    </details>
  );
}

/** A "Help" button above the table that opens the same legend as a popover (the HTML popover API: Esc closes it). */
export function LegendPopover() {
  return (
    <>
      <button
        type="button"
        popoverTarget="matrix-help"
        className="inline-flex h-7 items-center gap-1 rounded-md border border-neutral-300 bg-white px-2 text-[12px] font-medium text-neutral-700 shadow-xs hover:bg-neutral-50"
      >
        <span aria-hidden="true" className="flex size-4 items-center justify-center rounded-full bg-neutral-200 text-[10px] font-bold">
          ?
        </span>
        Help
      </button>
      <div
        id="matrix-help"
        popover="auto"
        role="dialog"
        aria-label="What the shorthand means"
        className="m-auto max-h-[80vh] w-[min(36rem,92vw)] overflow-auto rounded-lg border border-neutral-200 bg-white p-4 shadow-xl backdrop:bg-neutral-900/20"
      >
        <h2 className="mb-2 text-[14px] font-semibold text-neutral-900">What the shorthand means</h2>
        <LegendList />
      </div>
    </>
  );
}
