/** "1 more match is outside your namespaces": a search hit something the caller may not see, without saying what. */
export function OutsideScopeNote({ count }: { count: number | undefined }) {
  if (!count) return null;
  return (
    <p
      data-testid="outside-scope"
      role="status"
      className="rounded-md border border-neutral-300 bg-white px-3 py-2 text-[13px] text-neutral-700"
    >
      <span className="font-medium text-neutral-900">
        {count} more match{count === 1 ? ' is' : 'es are'} outside your namespaces.
      </span>{' '}
      What {count === 1 ? 'it is' : 'they are'} is not shown to you; the chip by your name lists what you may see. Ask a console admin or
      the owning team if you need {count === 1 ? 'it' : 'them'}.
    </p>
  );
}
