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
  embed,
  copied,
  setCopied,
  announce,
  onClose,
  buttonClassName,
}: {
  link: string;
  /** The <iframe> snippet for a page (share.ts embedCode). */
  embed: string;
  copied: boolean;
  setCopied: (copied: boolean) => void;
  announce: Announce;
  onClose: () => void;
  buttonClassName: string;
}) {
  const fieldId = useId();
  const embedId = useId();
  const embedHintId = useId();
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
              announce(
                ok ? 'Link copied' : 'Your browser did not allow copying: select the link and press Ctrl+C (⌘C on a Mac).',
                ok ? 'ok' : 'error',
              );
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
      <label htmlFor={embedId} className="mt-3 block font-semibold">
        Embed in a page
      </label>
      <div className="mt-1 flex items-start gap-1.5">
        <textarea
          id={embedId}
          readOnly
          rows={3}
          value={embed}
          aria-describedby={embedHintId}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 resize-none rounded border border-slate-400 bg-slate-50 px-2 py-1 font-mono text-xs dark:border-slate-500 dark:bg-slate-800"
        />
        <button
          type="button"
          className={buttonClassName}
          onClick={() => {
            void copyText(embed).then((ok) =>
              announce(
                ok ? 'Embed code copied' : 'Your browser did not allow copying: select the embed code and press Ctrl+C (⌘C on a Mac).',
                ok ? 'ok' : 'error',
              ),
            );
          }}
        >
          Copy embed code
        </button>
      </div>
      <p id={embedHintId} className="mt-1 text-slate-700 dark:text-slate-300">
        An &lt;iframe&gt; for a course page or a blog post: a compact view of the same thing, with a link to open it here. It saves no
        session or settings in the visitor’s browser. The site hosting tokenscope must allow framing by the page (README, “Embeds and
        frame-ancestors”).
      </p>
    </>
  );
}
