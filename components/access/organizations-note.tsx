/** What every permission verdict leaves out, said wherever verdicts are shown. */
export function OrganizationsNote({ className }: { className: string }) {
  return (
    <p className={className}>
      Organizations SCPs and RCPs are not readable from a member account: the verdicts cover every policy the console can see.
    </p>
  );
}
