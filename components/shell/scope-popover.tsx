'use client';

import { useId, useState } from 'react';
import { useDismiss } from './use-dismiss';
import type { Grant } from '@/lib/auth/scope';
import { TableHead } from './table-head';

export interface ScopeChipProps {
  name: string;
  subject: string;
  email?: string;
  via: string;
  teams: string[];
  isAdmin: boolean;
  grants: Grant[];
}

/** The header chip: who you are; its popover says what you may see and do, so "hidden from you" never looks like "healthy". */
export function ScopePopover({ name, subject, email, via, teams, isAdmin, grants }: ScopeChipProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const { buttonRef, panelRef } = useDismiss(open, setOpen);
  const chip = isAdmin ? 'admin' : teams.length ? teams.join(', ') : 'no team';
  const roles = [...new Set(grants.map((grant) => grant.role))];
  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        data-testid="signed-in-user"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-md px-1 py-0.5 text-neutral-100 hover:bg-white/5"
      >
        <span
          className="flex size-6 items-center justify-center rounded-full bg-neutral-700 text-[11px] font-semibold uppercase"
          aria-hidden="true"
        >
          {name.slice(0, 1)}
        </span>
        {name}{' '}
        <span className="rounded bg-neutral-800 px-1.5 py-0.5 text-[11px] text-neutral-200 ring-1 ring-neutral-600">
          {chip}
          {!isAdmin && roles.length > 0 && <span className="text-neutral-300"> · {roles.join('/')}</span>}
        </span>
        {/* The visible text is the start of the button's name (WCAG 2.5.3 Label in Name, axe label-content-name-mismatch). */}
        <span className="sr-only">: your scope</span>
        <svg viewBox="0 0 16 16" className="size-3 text-neutral-300" aria-hidden="true">
          <path fill="currentColor" d="m4 6 4 4 4-4z" />
        </svg>
      </button>
      {open && (
        <div
          ref={panelRef}
          id={id}
          role="region"
          aria-label="Your scope"
          className="absolute right-0 z-40 mt-2 w-[min(26rem,calc(100vw-1.5rem))] rounded-lg border border-neutral-200 bg-white p-4 text-[13px] text-neutral-800 shadow-xl max-md:left-0"
        >
          <p className="font-semibold text-neutral-950">{name}</p>
          <p className="text-[12px] text-neutral-600">
            {email ?? subject} · signed in via {via === 'oidc' ? 'SSO' : via}
          </p>
          {isAdmin ? (
            <p className="mt-3">
              <strong>Admin</strong>: you see and may act on every cluster, namespace and role.
            </p>
          ) : grants.length === 0 ? (
            <p className="mt-3">
              No team grants you anything: you see no service accounts. Ask a console admin to add your IdP group to a team.
            </p>
          ) : (
            <>
              <p className="mt-3 text-[12px] text-neutral-600">
                You see only what these grants cover. Everything else is hidden from you, not absent: lists say how many matches are outside
                your scope, never what they are.
              </p>
              <table className="mt-2 w-full text-left text-[12px]">
                <caption className="sr-only">Your grants</caption>
                <TableHead
                  columns={['Team', 'Clusters', 'Namespaces', 'Role']}
                  className="text-[11px] text-neutral-600 uppercase"
                  cellClassName="py-1 pr-2 font-medium"
                  lastCellClassName="py-1 font-medium"
                />
                <tbody className="divide-y divide-neutral-100 align-top">
                  {grants.map((grant, index) => (
                    <tr key={index}>
                      <td className="py-1 pr-2">{grant.team}</td>
                      <td className="py-1 pr-2 font-mono">{grant.cluster}</td>
                      <td className="py-1 pr-2 font-mono break-all">{grant.namespaces.join(', ')}</td>
                      <td className="py-1">
                        {grant.role === 'operator' ? 'operator (may act)' : 'viewer (read only)'}
                        {grant.roles && (
                          <div className="mt-0.5 text-neutral-600">
                            IAM roles: <span className="font-mono break-all">{grant.roles.length ? grant.roles.join(', ') : 'none'}</span>
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </div>
  );
}
