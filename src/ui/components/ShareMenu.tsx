// The header's Share button: builds a link holding the whole session (scenario, what was done,
// the current moment and the mode), copies it, and shows it in a read-only field to copy by hand
// when the browser does not allow copying. The link codec (fflate) and the panel (SharePanel.tsx)
// load on first use.
import { useEffect, useId, useRef, useState } from 'react';
import { deepLinkFragment } from '../deep-link';
import type { Mode } from '../persistence';
import type { Announce } from '../announce';
import { useSimStore } from '../SimContext';

type SharePanelComponent = typeof import('./SharePanel').SharePanel;

export function ShareMenu({ mode, className, announce }: { mode: Mode; className: string; announce: Announce }) {
  const store = useSimStore();
  const [link, setLink] = useState<string | null>(null);
  const [embed, setEmbed] = useState('');
  const [copied, setCopied] = useState(false);
  const [Panel, setPanel] = useState<SharePanelComponent | null>(null);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);

  const wrapRef = useRef<HTMLDivElement>(null);

  // While open: Escape (wherever the focus is) or a click elsewhere closes the panel.
  useEffect(() => {
    if (link === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      setLink(null);
      if (wrapRef.current?.contains(document.activeElement)) buttonRef.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(e.target as Node)) setLink(null);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [link]);

  const share = async () => {
    const session = store.getState().session;
    if (!session) return;
    const [{ embedCode, encodeShare, MAX_FRAGMENT, SHARE_PREFIX }, { SharePanel, copyText }, { appUrls, getCurrentComparison }] =
      await Promise.all([import('../share'), import('./SharePanel'), import('../embed-link')]);
    setPanel(() => SharePanel);
    const fragment = encodeShare({ mode, session });
    const size = fragment.length - SHARE_PREFIX.length;
    if (size > MAX_FRAGMENT) {
      setLink(null);
      announce(
        `✗ This session is too long for a link (${Math.ceil(size / 1024)} KB; a link holds at most ${MAX_FRAGMENT / 1024} KB). Use Export to save it as a file instead.`,
        'error',
      );
      return;
    }
    const url = `${window.location.origin}${window.location.pathname}${window.location.search}${fragment}`;
    // The embed shows the same session, or in compare mode the comparison on screen (deep-link.ts).
    const comparison = mode === 'compare' ? getCurrentComparison() : null;
    const title = comparison ? 'Compare two setups' : (store.getState().view?.scenario.title ?? 'Untitled');
    setEmbed(embedCode({ url: `${appUrls(window.location).embed}${comparison ? deepLinkFragment(comparison) : fragment}`, title }));
    const ok = await copyText(url);
    setLink(url);
    setCopied(ok);
    announce(ok ? 'Link copied' : 'Copy the link from the field under the Share button (your browser did not allow copying it).', 'ok');
  };

  const close = () => {
    setLink(null);
    buttonRef.current?.focus();
  };

  return (
    <div ref={wrapRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        className={className}
        aria-expanded={link !== null}
        aria-controls={panelId}
        onClick={() => void share()}
        title="Copy a link that reopens this exact moment"
      >
        Share
      </button>
      <div
        id={panelId}
        hidden={link === null}
        className="absolute right-0 z-40 mt-1 w-[min(32rem,90vw)] rounded-lg border-2 border-slate-500 bg-white p-3 text-sm text-slate-900 shadow-lg dark:border-slate-400 dark:bg-slate-900 dark:text-slate-50"
      >
        {link !== null && Panel && (
          <Panel
            link={link}
            embed={embed}
            copied={copied}
            setCopied={setCopied}
            announce={announce}
            onClose={close}
            buttonClassName={className}
          />
        )}
      </div>
    </div>
  );
}
