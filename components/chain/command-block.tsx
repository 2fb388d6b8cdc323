import { CopyButton } from '@/components/shell/copy-button';

/** Commands to run by hand, one per line, each copyable; "#" lines are notes, not commands. */
export function CommandBlock({ commands }: { commands: string[] }) {
  if (!commands.length) return null;
  return (
    <div className="overflow-hidden rounded-md bg-neutral-950 text-neutral-100">
      <ul className="divide-y divide-white/5">
        {commands.map((command, index) => (
          <li key={index} className="group flex items-start gap-2 px-3 py-1.5">
            {command.startsWith('#') ? (
              <code className="font-mono text-[12px] whitespace-pre-wrap text-neutral-500">{command}</code>
            ) : (
              <>
                <span className="font-mono text-[12px] text-neutral-500 select-none" aria-hidden="true">
                  $
                </span>
                <code className="min-w-0 flex-1 font-mono text-[12px] break-all whitespace-pre-wrap">{command}</code>
                <CopyButton
                  text={command}
                  label={`Copy command: ${command}`}
                  className="text-neutral-500 hover:bg-white/10 hover:text-white"
                />
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
