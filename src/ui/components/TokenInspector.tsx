// The token inspector: one token, the way jwt.io shows a JWT — its encoded parts, the decoded
// header and claims with human times — and whether the resource server would accept it now.
// Refresh tokens, which are not JWTs, show the auth server's record instead. The model
// (inspector-model.ts) computes everything; this component only lays it out.
import { useEffect, useId, useMemo, useRef, useState, type RefObject } from 'react';
import {
  inspectToken,
  type AccessInspection,
  type CheckRow,
  type CodeInspection,
  type DpopBinding,
  type FieldRow,
  type JwtParts,
  type ProofView,
  type RefreshDisplayStatus,
  type RefreshInspection,
} from '../inspector-model';
import type { TokenVerdict, WorldView } from '../view';
import { authorizationCodeMachine } from '../../sim/machines';
import { MachineDiagram } from './MachineDiagram';

export interface TokenInspectorProps {
  view: WorldView;
  label: string;
  /** What the RS would say now, computed by the store; null while it is being computed. */
  verdict: TokenVerdict | null;
  onClose: () => void;
}

const button =
  'rounded-md border border-slate-400 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const sectionTitle = 'mb-1 text-sm font-bold text-slate-900 dark:text-slate-100';

export function TokenInspector({ view, label, verdict, onClose }: TokenInspectorProps) {
  const headingId = useId();
  const model = useMemo(() => inspectToken(view, label, verdict), [view, label, verdict]);
  const rawRef = useRef<HTMLElement>(null);
  const raw = model.kind === 'missing' ? null : model.raw;
  // The copy status belongs to one token: selecting another one clears it.
  const [copyStatus, setCopyStatus] = useState<{ label: string; text: string } | null>(null);
  const copy = async () => {
    if (raw === null) return;
    try {
      if (typeof navigator === 'undefined' || !navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(raw);
      setCopyStatus({ label, text: 'Copied' });
    } catch {
      // No clipboard (an insecure context, or permission refused): select the text instead.
      const el = rawRef.current;
      const selection = typeof window !== 'undefined' ? window.getSelection() : null;
      if (el && selection) selection.selectAllChildren(el);
      setCopyStatus({
        label,
        text: 'Copying is not available here: the token text is selected, so press Ctrl+C (⌘C on a Mac) to copy it.',
      });
    }
  };

  // Opened from a panel high on the page, the inspector may start below the fold: bring its top into view.
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const section = sectionRef.current;
    if (!section || typeof window === 'undefined') return;
    const top = section.getBoundingClientRect().top;
    if (top < window.innerHeight - 96 && top >= 0) return;
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    section.scrollIntoView({ block: 'start', behavior: reduced ? 'auto' : 'smooth' });
  }, [label]);

  return (
    <section
      ref={sectionRef}
      aria-labelledby={headingId}
      className="scroll-mt-2 rounded-lg border border-slate-300 bg-white p-3 text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={headingId} className="text-base font-bold">
            Token inspector: <span className="font-mono">{label}</span>
          </h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {model.kind === 'access'
              ? model.forged
                ? model.forged === 'wrong-audience'
                  ? 'An access token (JWT) for a different API, in the attacker’s hands'
                  : 'A forged access token (JWT) made by the attacker'
                : 'An access token: a JWT signed by the auth server'
              : model.kind === 'refresh'
                ? 'A refresh token, as the auth server records it'
                : model.kind === 'code'
                  ? 'An authorization code and its PKCE pair'
                  : 'Unknown token'}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {raw !== null && (
            <button type="button" className={button} onClick={() => void copy()}>
              Copy token
            </button>
          )}
          <button type="button" className={button} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      <p role="status" aria-live="polite" className="text-sm font-semibold text-emerald-800 empty:hidden dark:text-emerald-300">
        {copyStatus?.label === label ? copyStatus.text : ''}
      </p>
      {model.kind === 'missing' && <p className="mt-2 text-sm">{model.message}</p>}
      {model.kind === 'access' && <AccessView model={model} rawRef={rawRef} />}
      {model.kind === 'refresh' && <RefreshView model={model} rawRef={rawRef} />}
      {model.kind === 'code' && <CodeView model={model} rawRef={rawRef} />}
    </section>
  );
}

// ---- access tokens ----------------------------------------------------------------------------

const PART_STYLE = {
  header: 'text-rose-700 dark:text-rose-300',
  payload: 'text-violet-700 dark:text-violet-300',
  signature: 'text-sky-700 dark:text-sky-300',
} as const;

function PartTag({ children }: { children: string }) {
  return (
    <span className="mr-1 inline-block rounded bg-slate-200 px-1 align-[0.1em] font-sans text-[0.6875rem] font-semibold uppercase tracking-wide text-slate-800 select-none dark:bg-slate-700 dark:text-slate-100">
      {children}
    </span>
  );
}

function AccessView({ model, rawRef }: { model: AccessInspection; rawRef: RefObject<HTMLElement | null> }) {
  return (
    <div className="mt-3 flex flex-col gap-3">
      <Verdict model={model} />
      {model.notes.map((note) => (
        <p
          key={note}
          className="rounded border-l-4 border-amber-600 bg-amber-50 px-2 py-1.5 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50"
        >
          <span className="font-bold">Why: </span>
          {note}
        </p>
      ))}

      <div>
        <h3 className={sectionTitle}>Encoded</h3>
        <p className="text-xs text-slate-700 dark:text-slate-300">
          Three base64url parts joined by dots: header, payload (the claims), signature.
        </p>
        <Encoded parts={model.parts} codeRef={rawRef} />
      </div>

      <div className="grid grid-cols-1 gap-3">
        <Decoded title="Header" rows={model.header} tone={PART_STYLE.header} />
        <Decoded title="Payload (claims)" rows={model.claims} tone={PART_STYLE.payload} />
      </div>

      {model.dpop && <DpopView binding={model.dpop} />}

      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
        <dt className="font-semibold">Held by</dt>
        <dd>{sentenceCase(model.holders)}</dd>
        <dt className="font-semibold">Grant</dt>
        <dd>
          {model.grant ? (
            <>
              <span className="font-mono">{model.grant.id}</span>
              {model.grant.revoked && (
                <span className="ml-1 rounded bg-red-100 px-1 text-xs font-semibold text-red-900 dark:bg-red-950 dark:text-red-200">
                  revoked
                </span>
              )}{' '}
              — {model.grant.text}
            </>
          ) : (
            'none: the auth server never issued it for this API'
          )}
        </dd>
      </dl>
    </div>
  );
}

function Encoded({ parts, codeRef }: { parts: JwtParts; codeRef?: RefObject<HTMLElement | null> }) {
  return (
    <code
      ref={codeRef}
      className="mt-1 block rounded border border-slate-300 bg-slate-50 p-2 font-mono text-[0.8125rem] leading-relaxed break-all dark:border-slate-700 dark:bg-slate-950"
    >
      <PartTag>header</PartTag>
      <span className={PART_STYLE.header}>{parts.header}</span>
      <span className="font-bold">.</span>
      <PartTag>payload</PartTag>
      <span className={PART_STYLE.payload}>{parts.payload}</span>
      <span className="font-bold">.</span>
      <PartTag>signature</PartTag>
      {parts.signature ? (
        <span className={PART_STYLE.signature}>{parts.signature}</span>
      ) : (
        <span className="font-sans italic text-slate-700 dark:text-slate-300">(empty: no signature)</span>
      )}
    </code>
  );
}

// ---- DPoP: the key a token is bound to, and the proofs that carried it ---------------------------

function DpopView({ binding }: { binding: DpopBinding }) {
  const headingId = useId();
  return (
    <section
      aria-labelledby={headingId}
      className="rounded border border-indigo-300 bg-indigo-50/60 p-2 dark:border-indigo-800 dark:bg-indigo-950/40"
    >
      <h3 id={headingId} className={sectionTitle}>
        Proof of possession (DPoP)
      </h3>
      <p className="text-sm">{binding.text}</p>
      <dl className="mt-1 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
        <dt className="font-semibold">cnf.jkt</dt>
        <dd className="font-mono text-[0.8125rem] break-all">{binding.jkt}</dd>
      </dl>
      <div className="mt-2 flex flex-col gap-3">
        {binding.lastPresented ? (
          <Proof title="Last proof sent with it" proof={binding.lastPresented} />
        ) : (
          <p className="text-sm italic text-slate-700 dark:text-slate-300">Not yet sent to the API with a proof.</p>
        )}
        {binding.issuedWith && <Proof title="Proof on the request that got it issued" proof={binding.issuedWith} />}
      </div>
    </section>
  );
}

function Proof({ title, proof }: { title: string; proof: ProofView }) {
  const headingId = useId();
  const where = proof.endpoint === 'api' ? 'API call' : 'token request';
  return (
    <section aria-labelledby={headingId} className="rounded border border-slate-300 bg-white p-2 dark:border-slate-700 dark:bg-slate-900">
      <h4 id={headingId} className="text-sm font-bold">
        {title}: {where} #{proof.requestId} at {proof.when}
      </h4>
      <p className="text-sm">{sentenceCase(proof.sourceText)}.</p>
      <p
        className={`text-sm font-semibold ${proof.outcome.ok ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-800 dark:text-red-300'}`}
      >
        <span aria-hidden="true">{proof.outcome.ok ? '✓ ' : '✗ '}</span>
        {proof.outcome.text}
      </p>
      <details className="mt-1">
        <summary className="cursor-pointer text-xs font-semibold">Encoded proof (the DPoP header’s value)</summary>
        <Encoded parts={proof.parts} />
      </details>
      <div className="mt-2 grid grid-cols-1 gap-2">
        <Decoded title="Proof header" rows={proof.header} tone={PART_STYLE.header} level={5} />
        <Decoded title="Proof claims" rows={proof.claims} tone={PART_STYLE.payload} level={5} />
      </div>
    </section>
  );
}

function Verdict({ model }: { model: AccessInspection }) {
  const v = model.verdict;
  return (
    <div
      className={`rounded border-l-4 p-2 ${
        v.state === 'checking'
          ? 'border-slate-400 bg-slate-50 dark:bg-slate-800'
          : v.ok
            ? 'border-emerald-700 bg-emerald-50 dark:border-emerald-500 dark:bg-emerald-950/50'
            : 'border-red-700 bg-red-50 dark:border-red-500 dark:bg-red-950/50'
      }`}
    >
      <h3 className={sectionTitle}>Would the resource server accept it now?</h3>
      <p aria-live="polite" className="text-sm font-semibold">
        {v.state === 'checking' ? (
          'checking…'
        ) : (
          <>
            <span aria-hidden="true">{v.ok ? '✓ ' : '✗ '}</span>
            {v.ok ? 'Yes. ' : 'No. '}
            {v.summary}
          </>
        )}
      </p>
      {v.state === 'done' && (
        <ul className="mt-1 space-y-0.5 text-sm">
          {v.checks.map((check) => (
            <Check key={check.name} check={check} />
          ))}
        </ul>
      )}
    </div>
  );
}

function Check({ check }: { check: CheckRow }) {
  const mark = check.result === true ? '✓' : check.result === false ? '✗' : '–';
  const word = check.result === true ? 'passed' : check.result === false ? 'failed' : 'not made';
  const color =
    check.result === true
      ? 'text-emerald-800 dark:text-emerald-300'
      : check.result === false
        ? 'text-red-800 dark:text-red-300'
        : 'text-slate-600 dark:text-slate-400';
  return (
    <li className="grid grid-cols-[1.25rem_minmax(0,1fr)]">
      <span aria-hidden="true" className={`font-bold ${color}`}>
        {mark}
      </span>
      <span>
        <span className="font-semibold">{check.label}</span>
        <span className="sr-only"> {word}</span>: {check.text}
      </span>
    </li>
  );
}

function Decoded({ title, rows, tone, level = 3 }: { title: string; rows: FieldRow[]; tone: string; level?: 3 | 5 }) {
  const Heading = level === 3 ? 'h3' : 'h5';
  return (
    <div>
      <Heading className={sectionTitle}>{title}</Heading>
      <div className="rounded border border-slate-300 bg-slate-50 p-2 font-mono text-[0.8125rem] leading-relaxed dark:border-slate-700 dark:bg-slate-950">
        <div aria-hidden="true">{'{'}</div>
        <ul className="pl-4">
          {rows.map((row, i) => (
            <li key={row.name} className="[overflow-wrap:anywhere]">
              {!row.ok && (
                <span className="mr-1 font-sans font-bold text-red-800 dark:text-red-300" title="the resource server refuses this">
                  ✗<span className="sr-only"> refused:</span>
                </span>
              )}
              <span className={tone}>"{row.name}"</span>: <span className="text-slate-900 dark:text-slate-100">{row.value}</span>
              {i < rows.length - 1 ? ',' : ''}
              {row.note && (
                <span className="ml-2 font-sans text-xs break-normal text-slate-700 italic dark:text-slate-300">
                  <span aria-hidden="true">// </span>
                  {row.note}
                </span>
              )}
            </li>
          ))}
        </ul>
        <div aria-hidden="true">{'}'}</div>
      </div>
    </div>
  );
}

// ---- refresh tokens ---------------------------------------------------------------------------

const STATUS_STYLE: Record<RefreshDisplayStatus, { mark: string; word: string; className: string }> = {
  active: {
    mark: '✓',
    word: 'Active',
    className: 'bg-emerald-100 text-emerald-900 ring-emerald-700 dark:bg-emerald-950 dark:text-emerald-200',
  },
  consumed: { mark: '↻', word: 'Consumed', className: 'bg-amber-100 text-amber-950 ring-amber-700 dark:bg-amber-950 dark:text-amber-200' },
  revoked: { mark: '✗', word: 'Revoked', className: 'bg-red-100 text-red-900 ring-red-700 dark:bg-red-950 dark:text-red-200' },
  expired: { mark: '⌛', word: 'Expired', className: 'bg-slate-200 text-slate-900 ring-slate-600 dark:bg-slate-800 dark:text-slate-100' },
};

/** A refresh token's or a code's status, and what the AS would answer to it now. */
function StatusLines({
  style,
  statusText,
  answer,
}: {
  style: { mark: string; word: string; className: string };
  statusText: string;
  answer: { ok: boolean; text: string };
}) {
  return (
    <div>
      <p className="flex items-start gap-2 text-sm">
        <span
          aria-hidden="true"
          className={`inline-flex h-6 min-w-6 shrink-0 items-center justify-center rounded px-1 text-sm font-bold ring-1 ${style.className}`}
        >
          {style.mark}
        </span>
        <span>
          <span className="sr-only">Status: {style.word}. </span>
          <span className="font-semibold">{statusText}</span>
        </span>
      </p>
      <p
        className={`mt-1 text-sm font-semibold ${answer.ok ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-800 dark:text-red-300'}`}
      >
        <span aria-hidden="true">{answer.ok ? '✓ ' : '✗ '}</span>
        {answer.text}
      </p>
    </div>
  );
}

function RefreshView({ model, rawRef }: { model: RefreshInspection; rawRef: RefObject<HTMLElement | null> }) {
  const style = STATUS_STYLE[model.status];
  return (
    <div className="mt-3 flex flex-col gap-3">
      <StatusLines style={style} statusText={model.statusText} answer={model.asAnswer} />

      <div>
        <h3 className={sectionTitle}>Value</h3>
        <code
          ref={rawRef}
          className="block rounded border border-slate-300 bg-slate-50 p-2 font-mono text-[0.8125rem] break-all dark:border-slate-700 dark:bg-slate-950"
        >
          {model.raw}
        </code>
        <p className="mt-1 text-xs text-slate-700 dark:text-slate-300">{model.opaqueNote}</p>
      </div>

      <div>
        <h3 className={sectionTitle}>The auth server’s record</h3>
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
          {model.fields.map((field) => (
            <FieldPair key={field.name} name={field.name} value={field.value} />
          ))}
          <FieldPair name="Held by" value={sentenceCase(model.holders)} />
        </dl>
      </div>
    </div>
  );
}

const CODE_STYLE: Record<CodeInspection['phase'], { mark: string; word: string; className: string }> = {
  issued: STATUS_STYLE.active,
  redeemed: { ...STATUS_STYLE.consumed, word: 'Redeemed' },
  expired: STATUS_STYLE.expired,
};

function CodeView({ model, rawRef }: { model: CodeInspection; rawRef: RefObject<HTMLElement | null> }) {
  const style = CODE_STYLE[model.phase];
  return (
    <div className="mt-3 flex flex-col gap-3">
      <StatusLines style={style} statusText={model.statusText} answer={model.asAnswer} />
      <p className="text-sm text-slate-800 dark:text-slate-200">{model.about}</p>
      <MachineDiagram machine={authorizationCodeMachine} current={model.phase} last={null} color="#7c3aed" />

      <div>
        <h3 className={sectionTitle}>Value</h3>
        <code
          ref={rawRef}
          className="block rounded border border-slate-300 bg-slate-50 p-2 font-mono text-[0.8125rem] break-all dark:border-slate-700 dark:bg-slate-950"
        >
          {model.raw}
        </code>
      </div>

      <div>
        <h3 className={sectionTitle}>The auth server’s record</h3>
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
          {model.fields.map((field) => (
            <FieldPair key={field.name} name={field.name} value={field.value} />
          ))}
          <FieldPair name="Held by" value={sentenceCase(model.holders)} />
        </dl>
      </div>

      <section aria-label="PKCE (RFC 7636)">
        <h3 className={sectionTitle}>PKCE (RFC 7636)</h3>
        {model.pkce ? (
          <>
            <p className="mb-1 text-sm">{model.pkce.text}</p>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
              <FieldPair
                name="code_challenge"
                value={`${model.pkce.challenge} (method ${model.pkce.method}; sent with the sign-in request)`}
              />
              <FieldPair
                name="code_verifier"
                value={`${model.pkce.verifier ?? 'unknown'} (held by ${model.pkce.verifierHolder}; sent only with the exchange)`}
              />
            </dl>
          </>
        ) : (
          <p className="text-sm">{model.noPkce}</p>
        )}
      </section>
    </div>
  );
}

function FieldPair({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt className="font-semibold whitespace-nowrap">{name}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere]">{value}</dd>
    </>
  );
}
