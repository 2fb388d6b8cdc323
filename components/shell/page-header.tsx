import Link from 'next/link';

export interface Crumb {
  label: string;
  href?: string;
}

/** Title row of a page: breadcrumbs, the title, a one-line description and room for actions on the right. */
export function PageHeader({
  title,
  description,
  crumbs = [],
  children,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  crumbs?: Crumb[];
  children?: React.ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {crumbs.length > 0 && (
          <nav aria-label="Breadcrumb" className="mb-1 flex flex-wrap items-center gap-1 text-[12px] text-neutral-500">
            {crumbs.map((crumb, index) => (
              <span key={index} className="flex items-center gap-1">
                {crumb.href ? (
                  <Link href={crumb.href} className="hover:text-neutral-900 hover:underline">
                    {crumb.label}
                  </Link>
                ) : (
                  <span>{crumb.label}</span>
                )}
                {index < crumbs.length - 1 && <span className="text-neutral-500">/</span>}
              </span>
            ))}
          </nav>
        )}
        <h1 className="text-[20px] font-semibold tracking-tight text-neutral-950">{title}</h1>
        {description && <p className="mt-0.5 text-[13px] text-neutral-500">{description}</p>}
      </div>
      {children}
    </div>
  );
}

export function PageMain({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-[1800px] space-y-4 px-5 py-5 outline-none max-md:px-3">
      {children}
    </main>
  );
}

export function Section({
  title,
  description,
  children,
  aside,
}: {
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  aside?: React.ReactNode;
}) {
  return (
    <section className="space-y-2" aria-label={title}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="flex items-baseline gap-2">
          <h2 className="text-[14px] font-semibold text-neutral-900">{title}</h2>
          {description && <span className="text-[12px] text-neutral-500">{description}</span>}
        </div>
        {aside}
      </div>
      {children}
    </section>
  );
}
