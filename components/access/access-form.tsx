/**
 * The reverse lookup's question as a plain GET form: submitting it puts the question in the URL, so the page
 * works without JavaScript and every answer can be shared by its link.
 */
export function AccessForm({ values }: { values: Record<string, string | undefined> }) {
  const field = (name: string, label: string, placeholder: string, required: boolean, wide = false) => (
    <label
      className={`flex flex-col gap-1 text-[12px] font-medium text-neutral-700 ${wide ? 'min-w-[28ch] flex-[2]' : 'min-w-[14ch] flex-1'}`}
    >
      {label}
      <input
        name={name}
        defaultValue={values[name] ?? ''}
        placeholder={placeholder}
        required={required}
        spellCheck={false}
        autoComplete="off"
        className="rounded-md border border-neutral-300 bg-white px-2 py-1.5 font-mono text-[12px] text-neutral-900 shadow-xs focus-visible:outline-2 focus-visible:outline-sky-500"
      />
    </label>
  );
  return (
    <form
      method="get"
      action="/access"
      role="search"
      aria-label="Who can do this"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-neutral-200 bg-white p-3"
    >
      {field('action', 'Action', 's3:PutObject', true)}
      {field('resource', 'Resource', 'arn:aws:s3:::bucket/prefix/*', true, true)}
      {field('cluster', 'Cluster (optional)', 'any', false)}
      {field('namespace', 'Namespace (optional)', 'any', false)}
      <button
        type="submit"
        className="rounded-md bg-neutral-900 px-3 py-1.5 text-[12px] font-medium text-white hover:bg-neutral-700 focus-visible:outline-2 focus-visible:outline-sky-500"
      >
        Who can?
      </button>
    </form>
  );
}
