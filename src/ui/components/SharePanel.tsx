// The Share button's panel (ShareMenu.tsx): the link in a read-only field to copy by hand, Copy and
// Close. Loaded with the link codec when Share is first pressed, so the first page does without it.
import { useEffect, useId, useRef } from 'react';
import type { Announce } from '../announce';

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function SharePanel({
  link,
  copied,
  setCopied,
  announce,
  onClose,
  buttonClassName,
}: {
  link: string;
  copied: boolean;
  setCopied: (copied: boolean) => void;
  announce: Announce;
  onClose: () => void;
  buttonClassName: string;
}) {
  const fieldId = useId();
  const fieldRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!copied) fieldRef.current?.select();
  }, [link, copied]);

  return (
    <>
      <label htmlFor={fieldId} className="font-semibold">
        Link to this moment
      </label>
      <div className="mt-1 flex gap-1.5">
        <input
          ref={fieldRef}
          id={fieldId}
          type="text"
          readOnly
          value={link}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded border border-slate-400 bg-slate-50 px-2 py-1 font-mono text-xs dark:border-slate-500 dark:bg-slate-800"
        />
        <button
          type="button"
          className={buttonClassName}
          onClick={() => {
            void copyText(link).then((ok) => {
              setCopied(ok);
              announce(ok ? 'Link copied' : 'Your browser did not allow copying: select the link and press Ctrl+C (⌘C on a Mac).', ok ? 'ok' : 'error');
            });
          }}
        >
          Copy
        </button>
        <button type="button" className={buttonClassName} onClick={onClose}>
          Close
        </button>
      </div>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        {copied ? '✓ Copied. ' : 'Select the link and copy it. '}
        It holds the whole session in the part after “#”, which browsers never send to a server.
      </p>
    </>
  );
}
