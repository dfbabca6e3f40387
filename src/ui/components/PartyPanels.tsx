// The four party panels: each shows its state machine, what it holds now, and its actions.
import { lazy, Suspense, useEffect, useId, useState, type ReactNode } from 'react';
import { AUDIENCE, ISSUER } from '../../sim/protocol';
import { PARTY_MACHINES, signInSessionMachine } from '../../sim/machines';
import type { Grant } from '../../sim/state';
import type { ChecksMade, ForgeKind, Party, TokenLabel } from '../../sim/types';
import { formatClock, formatRelative, formatSpan } from '../format';
import { useSim } from '../SimContext';
import { accessLive, accessRecord, grantDisplayStatus, refreshStatus } from '../token-status';
import { codePhase, grantOrigin, loginModeText, signInSessionModel, tokenStorageText } from '../signin-model';
import type { WorldView } from '../view';
import { afterNextPaint } from '../after-paint';
import { ActionButton } from './ActionButton';
import { diagramFrame } from './machine-diagram-layout';

// The diagrams draw a moment after the panels: their code loads once the frame showing the
// panels has painted (the panels' buttons work before it arrives), so neither its download nor
// its first render holds that frame back. The placeholder has the diagram's exact box
// (machine-diagram-layout.ts), so nothing shifts when it arrives.
type MachineDiagramComponent = typeof import('./MachineDiagram').MachineDiagram;
let machineDiagram: MachineDiagramComponent | null = null;
let machineDiagramLoad: Promise<MachineDiagramComponent> | null = null;

function loadMachineDiagram(): Promise<MachineDiagramComponent> {
  machineDiagramLoad ??= import('./MachineDiagram').then(
    (m) => (machineDiagram = m.MachineDiagram),
    (error: unknown) => {
      // Not kept: the next panel to mount tries again (e.g. after a network error).
      machineDiagramLoad = null;
      throw error;
    },
  );
  return machineDiagramLoad;
}

/** The diagram component once loaded; until then null (the caller draws the placeholder). */
function useMachineDiagram(): MachineDiagramComponent | null {
  const [Diagram, setDiagram] = useState<MachineDiagramComponent | null>(() => machineDiagram);
  useEffect(() => {
    if (Diagram) return;
    let cancelled = false;
    // Without its code (a network error) the placeholder stays: the panel works all the same.
    void afterNextPaint()
      .then(loadMachineDiagram)
      .then(
        (component) => cancelled || setDiagram(() => component),
        () => undefined,
      );
    return () => {
      cancelled = true;
    };
  }, [Diagram]);
  return Diagram;
}

// Said only once a client's tokens have all lapsed, so it loads after the first paint.
const LapsedNote = lazy(() => import('./LapsedNote').then((m) => ({ default: m.LapsedNote })));

export const PARTY_COLORS: Record<Party, string> = {
  client: '#2563eb',
  authServer: '#7c3aed',
  resourceServer: '#0f766e',
  attacker: '#dc2626',
};

function Panel({ party, title, children }: { party: Party; title: string; children: ReactNode }) {
  const headingId = useId();
  const view = useSim((s) => s.view)!;
  const state = view.state[party];
  const MachineDiagram = useMachineDiagram();
  return (
    <section
      aria-labelledby={headingId}
      className="flex min-w-0 flex-col gap-2 rounded-lg border-2 bg-white p-3 shadow-sm dark:bg-slate-900"
      style={{ borderColor: PARTY_COLORS[party] }}
    >
      <h2 id={headingId} className="text-base font-bold" style={{ color: PARTY_COLORS[party] }}>
        <span className="text-slate-900 dark:text-slate-50">{title}</span>
      </h2>
      {MachineDiagram ? (
        <MachineDiagram machine={PARTY_MACHINES[party]} current={state.phase} last={state.lastTransition} color={PARTY_COLORS[party]} />
      ) : (
        // The diagram's box before it is drawn: the same width, maximum and proportions as its SVG.
        <div aria-hidden="true" className="max-w-full" style={diagramFrame(PARTY_MACHINES[party].states.length).style} />
      )}
      {children}
    </section>
  );
}

function Buttons({ children }: { children: ReactNode }) {
  // party-actions: hidden beside a lesson in presenter mode (index.css), where the lesson drives the parties.
  return <div className="party-actions mt-auto flex flex-wrap gap-1.5 pt-1">{children}</div>;
}

function Facts({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 text-sm">{children}</dl>;
}

/** A term and its value; `secondary` facts are hidden in presenter mode (index.css). */
function Fact({ term, children, secondary = false }: { term: string; children: ReactNode; secondary?: boolean }) {
  const hide = secondary ? ' presenter-hide' : '';
  return (
    <>
      <dt className={`text-slate-600 dark:text-slate-400${hide}`}>{term}</dt>
      <dd className={`min-w-0 text-slate-900 dark:text-slate-100${hide}`}>{children}</dd>
    </>
  );
}

/** A token label that opens the inspector. */
export function TokenChip({ label, note }: { label: TokenLabel; note?: string }) {
  const selected = useSim((s) => s.selectedToken === label);
  const selectToken = useSim((s) => s.selectToken);
  return (
    <button
      type="button"
      onClick={() => selectToken(label)}
      aria-pressed={selected}
      className={`rounded px-1.5 py-0.5 font-mono text-xs font-semibold ring-1 ${
        selected
          ? 'bg-amber-200 text-slate-900 ring-amber-600 dark:bg-amber-300'
          : 'bg-slate-100 text-slate-900 ring-slate-300 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-600'
      }`}
      title={`Inspect ${label}`}
    >
      {label}
      {note ? <span className="ml-1 font-sans font-normal">{note}</span> : null}
    </button>
  );
}

function AccessTokenLine({ view, label }: { view: WorldView; label: TokenLabel }) {
  const record = accessRecord(view, label);
  if (!record) return <TokenChip label={label} />;
  const live = accessLive(view, record);
  const when = `${formatClock(view.epochSeconds + record.expiresAt, view.epochSeconds + view.t)}`;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <TokenChip label={label} />
      <span className={live ? 'text-emerald-800 dark:text-emerald-300' : 'text-slate-600 dark:text-slate-400'}>
        {live
          ? `✓ valid, expires ${when} (${formatRelative(record.expiresAt, view.t)})`
          : `✗ expired ${formatSpan(view.t - record.expiresAt)} ago`}
      </span>
    </span>
  );
}

const RT_STATUS_TEXT = {
  active: '✓ active',
  consumed: '↻ consumed',
  revoked: '✗ revoked',
  expired: '✗ expired',
} as const;

function RefreshTokenLine({ view, label }: { view: WorldView; label: TokenLabel }) {
  const status = refreshStatus(view, label);
  return (
    <span className="inline-flex items-center gap-1">
      <TokenChip label={label} />
      <span className="text-slate-700 dark:text-slate-300">{status ? `${RT_STATUS_TEXT[status]} at the AS` : ''}</span>
    </span>
  );
}

const CODE_TEXT = {
  issued: '✓ issued, not yet redeemed (60 s, single use)',
  redeemed: '✓ redeemed for tokens',
  expired: '✗ expired unredeemed',
} as const;

/** The newest authorization code of the app's sign-ins (`client`), or that reached the attacker. */
function latestCode(view: WorldView, who: 'client' | 'attacker') {
  const codes = Object.values(view.state.authServer.codes).filter((c) =>
    who === 'client' ? c.requestedBy === 'client' : c.deliveredTo === 'attacker',
  );
  return codes.length ? codes.reduce((a, b) => (b.issuedAt >= a.issuedAt ? b : a)) : null;
}

/** What the attacker's script in the page can do now (SEMANTICS.md §10), or that it has none there. */
function inPageText(view: WorldView): string {
  const { attacker, client } = view.state;
  if (!attacker.inPage) return client.pageOpen ? 'no script in the app’s page' : 'no script: the app’s page is closed';
  if (view.config.client.tokenStorage === 'bff')
    return '⚠ its script runs in the app’s page: no token to copy, but it can send API calls through the BFF while the page stays open';
  const dpop = view.config.senderConstraint === 'dpop' ? ', can have the app’s DPoP key sign proofs' : '';
  return `⚠ its script runs in the app’s page: it copies each token the app receives${dpop}, and can start a silent sign-in of its own`;
}

/** Whether the user's app logged in at this very instant (the user is at the AS's sign-in page). */
function signingInNow(view: WorldView): boolean {
  for (let i = view.events.length - 1; i >= 0; i--) {
    const e = view.events[i]!;
    if (e.t !== view.t) return false;
    if (e.type === 'ActionFinished' && e.action.do === 'client.login') return true;
  }
  return false;
}

export function ClientPanel() {
  const view = useSim((s) => s.view)!;
  const { client } = view.state;
  const behaviour = view.scenario.behaviour.user;
  const bff = view.config.client.tokenStorage === 'bff';
  const inPage = view.state.attacker.inPage;
  const lastCode = latestCode(view, 'client');
  return (
    <Panel party="client" title="Client">
      <Suspense fallback={null}>
        <LapsedNote view={view} />
      </Suspense>
      <Facts>
        <Fact term="Sign-in" secondary>
          {loginModeText(view.config)}
        </Fact>
        <Fact term="Tokens kept" secondary>
          {tokenStorageText(view.config)}
        </Fact>
        <Fact term="Page">
          {client.pageOpen ? (
            inPage ? (
              <span className="font-semibold text-red-800 dark:text-red-300">⚠ open, and the attacker’s script runs in it</span>
            ) : (
              '● open'
            )
          ) : (
            '○ closed'
          )}
        </Fact>
        <Fact term="User">
          {client.present
            ? '● using the app'
            : signingInNow(view)
              ? view.config.login === 'password-grant'
                ? '● signing in: typing the password into the app (password grant)'
                : '● signing in at the authorization server'
              : '○ not using the app now'}
          {behaviour ? (
            <span className="presenter-hide"> (the app calls every {formatSpan(behaviour.callApiEvery)} while in use)</span>
          ) : (
            ''
          )}
        </Fact>
        <Fact term={bff ? 'Access (BFF)' : 'Access'}>
          {client.accessToken ? <AccessTokenLine view={view} label={client.accessToken} /> : 'none'}
        </Fact>
        <Fact term={bff ? 'Refresh (BFF)' : 'Refresh'}>
          {view.config.refreshToken === null ? (
            'not used in this setup'
          ) : client.refreshToken ? (
            <RefreshTokenLine view={view} label={client.refreshToken} />
          ) : (
            'none'
          )}
        </Fact>
        {view.config.client.storesPassword && (
          <Fact term="Password">
            {client.storedPassword !== null ? `stored ${bff ? 'at the BFF' : 'in the app'} (password grant)` : 'not stored yet'}
          </Fact>
        )}
        {lastCode && (
          <Fact term="Last code" secondary>
            <span className="inline-flex flex-wrap items-center gap-1">
              <TokenChip label={lastCode.label} />
              {lastCode.deliveredTo === 'attacker' ? (
                <span className="font-semibold text-red-800 dark:text-red-300">✗ intercepted: it went to the attacker</span>
              ) : (
                CODE_TEXT[codePhase(view, lastCode)]
              )}
            </span>
          </Fact>
        )}
        <Fact term="Type" secondary>
          {view.config.client.type === 'confidential' ? 'confidential (has a client secret)' : 'public (no secret)'}
        </Fact>
      </Facts>
      <Buttons>
        <ActionButton action={{ do: 'client.login' }} label="Log in" />
        <ActionButton action={{ do: 'client.callApi' }} label="Call API" />
        <ActionButton action={{ do: 'client.refresh' }} label="Refresh" />
        <ActionButton action={{ do: 'client.logout' }} label="Log out" />
        <ActionButton action={{ do: 'user.changePassword' }} label="Change password" />
        {client.present ? (
          <ActionButton action={{ do: 'user.leave' }} label="User leaves" />
        ) : (
          <ActionButton action={{ do: 'user.arrive' }} label="User arrives" />
        )}
      </Buttons>
    </Panel>
  );
}

/** A family's status at the view's moment: it follows the clock (expiry needs no event). */
function GrantStatus({ view, grant }: { view: WorldView; grant: Grant }) {
  const { status, since, by } = grantDisplayStatus(view, grant);
  if (status === 'active') return <span className="text-emerald-800 dark:text-emerald-300">✓ active</span>;
  return (
    <span className="font-semibold text-red-800 dark:text-red-300">
      {status === 'revoked'
        ? `✗ revoked (${grant.revokedCause?.replace('_', ' ')})`
        : `✗ expired at ${formatClock(view.epochSeconds + since!, view.epochSeconds + view.t)} (${by} lifetime)`}
    </span>
  );
}

export function AuthServerPanel() {
  const view = useSim((s) => s.view)!;
  const { authServer } = view.state;
  const [showAll, setShowAll] = useState(false);
  const grants = [...authServer.grantOrder].reverse();
  const shown = showAll ? grants : grants.slice(0, 4);
  const suspended = authServer.phase === 'userSuspended';
  const session = signInSessionModel(view);
  const SessionDiagram = useMachineDiagram();
  return (
    <Panel party="authServer" title="Authorization server">
      <Facts>
        <Fact term="User">{suspended ? '⛔ suspended by an admin' : '✓ active'}</Fact>
        <Fact term="Password">version {authServer.passwordVersion}</Fact>
        <Fact term="Sign-in session">{session.text}</Fact>
        <Fact term="Password change" secondary>
          {view.config.authServer.revokeGrantsOnPasswordChange
            ? 'this server is configured to revoke every grant of the user'
            : 'this server is configured to keep the grants: refresh tokens stay valid (Auth0’s default)'}
        </Fact>
      </Facts>
      {view.config.authServer.signInSession !== null && SessionDiagram && (
        <SessionDiagram machine={signInSessionMachine} current={session.phase} last={null} color={PARTY_COLORS.authServer} />
      )}
      <div>
        <h3 className="text-sm font-semibold text-slate-700 dark:text-slate-300">
          Grants (token families): {grants.length === 0 ? 'none yet' : grants.length}
        </h3>
        <ul className="mt-1 flex max-h-48 flex-col gap-1 overflow-y-auto text-sm">
          {shown.map((id) => {
            const grant = authServer.grants[id]!;
            return (
              <li key={id} className="rounded border border-slate-200 p-1.5 dark:border-slate-700">
                <div>
                  <strong>{id}</strong> — {grantOrigin(view, grant)} at{' '}
                  {formatClock(view.epochSeconds + grant.startedAt, view.epochSeconds + view.t)}; <GrantStatus view={view} grant={grant} />
                </div>
                {grant.refreshTokens.length > 0 && (
                  <div className="mt-0.5 flex flex-wrap gap-1">
                    {grant.refreshTokens.slice(-6).map((label) => (
                      <TokenChip key={label} label={label} note={RT_STATUS_TEXT[refreshStatus(view, label) ?? 'active']} />
                    ))}
                    {grant.refreshTokens.length > 6 && <span className="text-xs">+{grant.refreshTokens.length - 6} older</span>}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        {grants.length > 4 && (
          <button type="button" className="mt-1 text-sm underline" onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Show fewer' : `Show all ${grants.length}`}
          </button>
        )}
      </div>
      <Buttons>
        {suspended ? (
          <ActionButton action={{ do: 'admin.reinstateUser' }} label="Reinstate user" />
        ) : (
          <ActionButton action={{ do: 'admin.suspendUser' }} label="Suspend user" />
        )}
        <ActionButton action={{ do: 'admin.revokeAll' }} label="Revoke all" />
      </Buttons>
    </Panel>
  );
}

const CHECK_NAMES: [keyof ChecksMade, string][] = [
  ['signature', 'signature'],
  ['type', 'type at+jwt'],
  ['issuer', 'issuer'],
  ['audience', 'audience'],
  ['expiry', 'expiry'],
  ['dpop', 'DPoP proof'],
  ['introspection', 'introspection'],
];

export function ChecksList({ checks }: { checks: ChecksMade }) {
  return (
    <ul className="flex flex-wrap gap-x-2 text-sm">
      {CHECK_NAMES.filter(([key]) => checks[key] !== null && checks[key] !== undefined).map(([key, name]) => (
        <li key={key} className={checks[key] ? 'text-emerald-800 dark:text-emerald-300' : 'font-semibold text-red-800 dark:text-red-300'}>
          {checks[key] ? '✓' : '✗'} {name}
        </li>
      ))}
    </ul>
  );
}

export function ResourceServerPanel() {
  const view = useSim((s) => s.view)!;
  const key = view.jwks.keys[0];
  const jwksKid = key?.kid ?? '';
  const jwksX = key?.x ?? '';
  const rs = view.state.resourceServer;
  const { validation, leeway } = view.config.resourceServer;
  return (
    <Panel party="resourceServer" title="Resource server">
      <Facts>
        <Fact term="Checks by">
          {validation === 'local' ? 'local JWT validation (never asks the AS)' : 'introspection (asks the AS on every call)'}
          {leeway > 0 ? `, leeway ${formatSpan(leeway)}` : ''}
        </Fact>
        <Fact term="Holds" secondary>
          <span title={`x = ${jwksX}`}>
            one public key, <code className="font-mono text-xs">kid {jwksKid}</code> (Ed25519) — it can check signatures, not make them
          </span>
        </Fact>
        <Fact term="Expects" secondary>
          {/* Break between words only: a host name stays whole (it may wrap only if it cannot fit at all). */}
          <span className="break-words">
            iss <span className="whitespace-nowrap">{new URL(ISSUER).host}</span>, aud{' '}
            <span className="whitespace-nowrap">{new URL(AUDIENCE).host}</span>
          </span>
        </Fact>
        <Fact term="Last request">
          {rs.lastReason === null && rs.lastToken === null && rs.phase === 'waiting' ? (
            'none yet'
          ) : (
            <span className="inline-flex flex-wrap items-center gap-1">
              {rs.lastToken ? <TokenChip label={rs.lastToken} /> : 'no token'}
              {rs.phase === 'accepted' ? (
                <span className="text-emerald-800 dark:text-emerald-300">✓ accepted (200)</span>
              ) : (
                <span className="font-semibold text-red-800 dark:text-red-300">✗ rejected (401 {rs.lastReason?.replace('_', ' ')})</span>
              )}
            </span>
          )}
        </Fact>
        {rs.lastChecks && (
          <Fact term="Checks">
            <ChecksList checks={rs.lastChecks} />
          </Fact>
        )}
        <Fact term="Requests">
          ✓ {rs.accepted} accepted, ✗ {rs.rejected} rejected
        </Fact>
      </Facts>
    </Panel>
  );
}

export function AttackerPanel() {
  const view = useSim((s) => s.view)!;
  const { attacker } = view.state;
  const [kind, setKind] = useState<ForgeKind>('own-key');
  const forgeId = useId();
  const m = view.metrics.attacker;
  const stolenCode = latestCode(view, 'attacker');
  return (
    <Panel party="attacker" title="Attacker">
      <Facts>
        <Fact term="Access">
          {attacker.accessTokens.length === 0 ? (
            'none'
          ) : (
            <span className="flex flex-col gap-0.5">
              {attacker.accessTokens
                .slice(-3)
                .reverse()
                .map((label) => (
                  <AccessTokenLine key={label} view={view} label={label} />
                ))}
            </span>
          )}
        </Fact>
        <Fact term="Refresh">
          {attacker.refreshTokens.length === 0
            ? 'none'
            : attacker.refreshTokens
                .slice(-2)
                .reverse()
                .map((label) => <RefreshTokenLine key={label} view={view} label={label} />)}
        </Fact>
        <Fact term="Password">
          {attacker.password === null
            ? 'none'
            : attacker.password === view.state.authServer.passwordVersion
              ? 'stolen, still valid'
              : 'stolen, but changed since'}
        </Fact>
        {view.config.client.type === 'confidential' && <Fact term="Secret">{attacker.clientSecret ? 'client secret stolen' : 'none'}</Fact>}
        <Fact term="In the page">{inPageText(view)}</Fact>
        {attacker.interceptArmed && <Fact term="Code">⚠ interception armed: the app’s next authorization code comes here</Fact>}
        {stolenCode && (
          <Fact term="Code" secondary>
            <span className="inline-flex flex-wrap items-center gap-1">
              <TokenChip label={stolenCode.label} />
              {stolenCode.requestedBy === 'attacker' ? 'from its own silent sign-in' : 'intercepted from the app'}
            </span>
          </Fact>
        )}
        <Fact term="Exposure">
          {formatSpan(m.exposureSeconds)} so far{' '}
          <span className="text-slate-700 dark:text-slate-300">(the time it could have called the API)</span>; {m.apiCallsOk} successful API{' '}
          {m.apiCallsOk === 1 ? 'call' : 'calls'}
        </Fact>
      </Facts>
      <Buttons>
        <ActionButton action={{ do: 'attacker.steal', what: 'access' }} label="Steal access token" variant="danger" />
        <ActionButton action={{ do: 'attacker.steal', what: 'refresh' }} label="Steal refresh token" variant="danger" />
        <ActionButton action={{ do: 'attacker.steal', what: 'both' }} label="Steal both" variant="danger" />
        <ActionButton action={{ do: 'attacker.steal', what: 'password' }} label="Steal password" variant="danger" />
        {view.config.client.type === 'confidential' && (
          <ActionButton action={{ do: 'attacker.steal', what: 'clientSecret' }} label="Steal client secret" variant="danger" />
        )}
        <ActionButton action={{ do: 'attacker.steal', what: 'all' }} label="Steal all" variant="danger" />
        <ActionButton
          action={{ do: 'attacker.steal', what: 'access', from: 'api-logs' }}
          label="Steal access token from the API’s logs"
          variant="danger"
        />
        <ActionButton action={{ do: 'attacker.interceptCode' }} label="Intercept code" variant="danger" />
        {attacker.inPage ? (
          <ActionButton action={{ do: 'attacker.releasePage' }} label="Release page" variant="danger" />
        ) : (
          <ActionButton action={{ do: 'attacker.hijackPage' }} label="Hijack page" variant="danger" />
        )}
        <ActionButton action={{ do: 'attacker.silentLogin' }} label="Silent sign-in" variant="danger" />
        <ActionButton action={{ do: 'attacker.callApi' }} label="Call API" variant="danger" />
        <ActionButton action={{ do: 'attacker.refresh' }} label="Refresh" variant="danger" />
        <ActionButton action={{ do: 'attacker.login' }} label="Log in with password" variant="danger" />
        <ActionButton action={{ do: 'attacker.wipe' }} label="Wipe client tokens" variant="danger" />
        <span className="inline-flex items-center gap-1">
          <label htmlFor={forgeId} className="sr-only">
            Kind of forged token
          </label>
          <select
            id={forgeId}
            value={kind}
            onChange={(e) => setKind(e.target.value as ForgeKind)}
            className="rounded-md border border-slate-400 bg-white px-1 py-1 text-sm dark:border-slate-500 dark:bg-slate-800"
          >
            <option value="own-key">signed with its own key</option>
            <option value="alg-none">unsigned (alg none)</option>
            <option value="wrong-audience">for another API</option>
          </select>
          <ActionButton action={{ do: 'attacker.forge', kind }} label="Forge token" variant="danger" />
        </span>
      </Buttons>
    </Panel>
  );
}
