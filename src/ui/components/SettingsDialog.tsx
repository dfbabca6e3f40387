// Settings: pick a preset or tune every setting of SEMANTICS.md, then restart the run with them.
// The draft is validated by the scenario parser itself, so the dialog can never start a world the
// format would reject.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { PRESETS, PRESET_IDS, PRESET_NAMES } from '../../sim/config';
import { formatDuration } from '../../sim/duration';
import { parseScenario, scenarioToJson } from '../../sim/scenario';
import type { Config, LoginMode, PresetId, Scenario, TokenStorage } from '../../sim/types';
import type { WhileRunning } from '../store';

interface Draft {
  preset: PresetId;
  accessTtl: string;
  refresh: boolean;
  rotation: boolean;
  reuseDetection: boolean;
  reuseInterval: string;
  idleTtl: string;
  absoluteTtl: string;
  validation: 'local' | 'introspection';
  leeway: string;
  clientType: 'public' | 'confidential';
  storesPassword: boolean;
  tokenStorage: TokenStorage;
  login: LoginMode;
  pkce: boolean;
  /** The AS keeps a sign-in session (a cookie); its lifetimes, empty = unlimited. */
  signInSession: boolean;
  sessionIdleTtl: string;
  sessionAbsoluteTtl: string;
  revokeGrantsOnPasswordChange: boolean;
  dpop: boolean;
  userEvery: string;
  attackerEvery: string;
}

const optional = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? '' : formatDuration(seconds));

function draftFrom(config: Config, behaviour: Scenario['behaviour']): Draft {
  const rt = config.refreshToken ?? PRESETS['rotating-refresh'].refreshToken!;
  return {
    preset: config.preset,
    accessTtl: formatDuration(config.accessToken.ttl),
    refresh: config.refreshToken !== null,
    rotation: rt.rotation,
    reuseDetection: rt.reuseDetection,
    reuseInterval: formatDuration(rt.reuseInterval),
    idleTtl: optional(rt.idleTtl),
    absoluteTtl: optional(rt.absoluteTtl),
    validation: config.resourceServer.validation,
    leeway: formatDuration(config.resourceServer.leeway),
    clientType: config.client.type,
    storesPassword: config.client.storesPassword,
    tokenStorage: config.client.tokenStorage,
    login: config.login,
    pkce: config.pkce,
    signInSession: config.authServer.signInSession !== null,
    sessionIdleTtl: optional(config.authServer.signInSession?.idleTtl),
    sessionAbsoluteTtl: optional(config.authServer.signInSession?.absoluteTtl),
    revokeGrantsOnPasswordChange: config.authServer.revokeGrantsOnPasswordChange,
    dpop: config.senderConstraint === 'dpop',
    userEvery: optional(behaviour.user?.callApiEvery),
    attackerEvery: optional(behaviour.attacker?.callApiEvery),
  };
}

/** The scenario JSON these settings describe; the parser decides whether it is valid. */
export function scenarioWithDraft(base: Scenario, d: Draft): unknown {
  const json = scenarioToJson(base) as Record<string, unknown>;
  const behaviour: Record<string, unknown> = {};
  if (d.userEvery.trim()) behaviour.user = { callApiEvery: d.userEvery.trim() };
  if (d.attackerEvery.trim()) behaviour.attacker = { callApiEvery: d.attackerEvery.trim() };
  return {
    ...json,
    config: {
      preset: d.preset,
      accessToken: { ttl: d.accessTtl.trim() },
      refreshToken: d.refresh
        ? {
            rotation: d.rotation,
            reuseDetection: d.reuseDetection,
            reuseInterval: d.reuseInterval.trim() || '0s',
            idleTtl: d.idleTtl.trim() || null,
            absoluteTtl: d.absoluteTtl.trim() || null,
          }
        : null,
      login: d.login,
      // PKCE belongs to the code login: written with the password grant it is an error, so the
      // draft leaves it out there (its checkbox is disabled).
      ...(d.login === 'code-pkce' ? { pkce: d.pkce } : {}),
      authServer: {
        signInSession: d.signInSession
          ? { idleTtl: d.sessionIdleTtl.trim() || null, absoluteTtl: d.sessionAbsoluteTtl.trim() || null }
          : null,
        revokeGrantsOnPasswordChange: d.revokeGrantsOnPasswordChange,
      },
      client: { type: d.clientType, storesPassword: d.storesPassword, tokenStorage: d.tokenStorage },
      resourceServer: { validation: d.validation, leeway: d.leeway.trim() || '0s' },
      senderConstraint: d.dpop ? 'dpop' : 'none',
    },
    behaviour,
  };
}

function Row({ label, hint, children }: { label: string; hint?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="grid grid-cols-[12rem_minmax(0,1fr)] items-center gap-2">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
        {hint && <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">{hint}</span>}
      </label>
      {children(id)}
    </div>
  );
}

const input = 'max-w-full min-w-0 rounded border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-800';

export function SettingsDialog({
  open,
  scenario,
  onClose,
  onApply,
  whileRunning,
  setWhileRunning,
}: {
  open: boolean;
  scenario: Scenario;
  onClose: () => void;
  onApply: (scenario: Scenario) => void;
  whileRunning: WhileRunning;
  setWhileRunning: (policy: WhileRunning) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState(() => draftFrom(scenario.config, scenario.behaviour));
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setDraft(draftFrom(scenario.config, scenario.behaviour));
      setError(null);
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, scenario]);

  const update = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setError(null);
  };
  const choosePreset = (preset: PresetId) =>
    setDraft(draftFrom(PRESETS[preset], { user: scenario.behaviour.user, attacker: scenario.behaviour.attacker }));

  const apply = () => {
    const parsed = parseScenario(scenarioWithDraft(scenario, draft));
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    onApply(parsed.scenario);
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto max-h-[90vh] w-[40rem] max-w-[95vw] rounded-lg border border-slate-300 bg-white p-0 text-slate-900 backdrop:bg-black/50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-50"
    >
      <form
        method="dialog"
        className="flex flex-col gap-3 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <h2 id={titleId} className="text-lg font-bold">
          Settings
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Durations are written like <code>90s</code>, <code>5m</code>, <code>1h30m</code>, <code>30d</code>. Leave a lifetime empty for
          unlimited. Applying restarts the run from the start with the same script.
        </p>
        <Row label="Preset">
          {(id) => (
            <select id={id} className={input} value={draft.preset} onChange={(e) => choosePreset(e.target.value as PresetId)}>
              {PRESET_IDS.map((p) => (
                <option key={p} value={p}>
                  {PRESET_NAMES[p]}
                </option>
              ))}
            </select>
          )}
        </Row>
        <fieldset className="flex flex-col gap-2 rounded border border-slate-300 p-2 dark:border-slate-600">
          <legend className="px-1 text-sm font-semibold">Access token</legend>
          <Row label="Lifetime (ttl)">
            {(id) => <input id={id} className={input} value={draft.accessTtl} onChange={(e) => update({ accessTtl: e.target.value })} />}
          </Row>
        </fieldset>
        <fieldset className="flex flex-col gap-2 rounded border border-slate-300 p-2 dark:border-slate-600">
          <legend className="px-1 text-sm font-semibold">Refresh token</legend>
          <Row label="Issue refresh tokens">
            {(id) => <input id={id} type="checkbox" checked={draft.refresh} onChange={(e) => update({ refresh: e.target.checked })} />}
          </Row>
          {draft.refresh && (
            <>
              <Row label="Rotation" hint="a new refresh token on every refresh">
                {(id) => (
                  <input
                    id={id}
                    type="checkbox"
                    checked={draft.rotation}
                    onChange={(e) =>
                      update({ rotation: e.target.checked, ...(e.target.checked ? {} : { reuseDetection: false, reuseInterval: '0s' }) })
                    }
                  />
                )}
              </Row>
              <Row label="Reuse detection" hint="a consumed token revokes its family">
                {(id) => (
                  <input
                    id={id}
                    type="checkbox"
                    checked={draft.reuseDetection}
                    disabled={!draft.rotation}
                    onChange={(e) => update({ reuseDetection: e.target.checked })}
                  />
                )}
              </Row>
              <Row label="Reuse interval" hint="grace window for concurrent retries">
                {(id) => (
                  <input
                    id={id}
                    className={input}
                    value={draft.reuseInterval}
                    disabled={!draft.rotation}
                    onChange={(e) => update({ reuseInterval: e.target.value })}
                  />
                )}
              </Row>
              <Row label="Idle lifetime" hint="ends after this long without a refresh">
                {(id) => (
                  <input
                    id={id}
                    className={input}
                    placeholder="unlimited"
                    value={draft.idleTtl}
                    onChange={(e) => update({ idleTtl: e.target.value })}
                  />
                )}
              </Row>
              <Row label="Absolute lifetime" hint="ends this long after the login">
                {(id) => (
                  <input
                    id={id}
                    className={input}
                    placeholder="unlimited"
                    value={draft.absoluteTtl}
                    onChange={(e) => update({ absoluteTtl: e.target.value })}
                  />
                )}
              </Row>
            </>
          )}
        </fieldset>
        <fieldset className="flex flex-col gap-2 rounded border border-slate-300 p-2 dark:border-slate-600">
          <legend className="px-1 text-sm font-semibold">Signing in (authorization server)</legend>
          <Row label="Login" hint="code: the user types the password at the AS, the app never sees it; password grant: the app sees it">
            {(id) => (
              <select
                id={id}
                className={input}
                value={draft.login}
                onChange={(e) => {
                  const login = e.target.value as LoginMode;
                  // Only the password grant lets the app keep the password.
                  update(login === 'code-pkce' ? { login, storesPassword: false } : { login });
                }}
              >
                <option value="code-pkce">code + PKCE at the AS’s sign-in page</option>
                <option value="password-grant">password grant (legacy, forbidden by RFC 9700 §2.4)</option>
              </select>
            )}
          </Row>
          <Row label="PKCE" hint="the code is useless without the app’s verifier (RFC 7636)">
            {(id) => (
              <input
                id={id}
                type="checkbox"
                checked={draft.login === 'code-pkce' && draft.pkce}
                disabled={draft.login !== 'code-pkce'}
                onChange={(e) => update({ pkce: e.target.checked })}
              />
            )}
          </Row>
          <Row label="Sign-in session" hint="a cookie at the AS: while it lives, signing in again needs no password">
            {(id) => (
              <input id={id} type="checkbox" checked={draft.signInSession} onChange={(e) => update({ signInSession: e.target.checked })} />
            )}
          </Row>
          {draft.signInSession && (
            <>
              <Row label="Session idle lifetime" hint="ends this long after its last use">
                {(id) => (
                  <input
                    id={id}
                    className={input}
                    placeholder="unlimited"
                    value={draft.sessionIdleTtl}
                    onChange={(e) => update({ sessionIdleTtl: e.target.value })}
                  />
                )}
              </Row>
              <Row label="Session absolute lifetime" hint="ends this long after the sign-in">
                {(id) => (
                  <input
                    id={id}
                    className={input}
                    placeholder="unlimited"
                    value={draft.sessionAbsoluteTtl}
                    onChange={(e) => update({ sessionAbsoluteTtl: e.target.value })}
                  />
                )}
              </Row>
            </>
          )}
          <Row label="On a password change" hint="some servers keep refresh tokens (Auth0’s default)">
            {(id) => (
              <select
                id={id}
                className={input}
                value={draft.revokeGrantsOnPasswordChange ? 'revoke' : 'keep'}
                onChange={(e) => update({ revokeGrantsOnPasswordChange: e.target.value === 'revoke' })}
              >
                <option value="revoke">revoke every grant (the attacker’s too)</option>
                <option value="keep">keep the grants (refresh tokens stay valid)</option>
              </select>
            )}
          </Row>
        </fieldset>
        <fieldset className="flex flex-col gap-2 rounded border border-slate-300 p-2 dark:border-slate-600">
          <legend className="px-1 text-sm font-semibold">Resource server and client</legend>
          <Row label="Validation">
            {(id) => (
              <select
                id={id}
                className={input}
                value={draft.validation}
                onChange={(e) => update({ validation: e.target.value as Draft['validation'] })}
              >
                <option value="local">local JWT validation</option>
                <option value="introspection">introspection on every call</option>
              </select>
            )}
          </Row>
          <Row label="Leeway" hint="clock tolerance on exp">
            {(id) => <input id={id} className={input} value={draft.leeway} onChange={(e) => update({ leeway: e.target.value })} />}
          </Row>
          <Row label="Client type">
            {(id) => (
              <select
                id={id}
                className={input}
                value={draft.clientType}
                onChange={(e) => update({ clientType: e.target.value as Draft['clientType'] })}
              >
                <option value="public">public (browser app, no secret)</option>
                <option value="confidential">confidential (has a client secret)</option>
              </select>
            )}
          </Row>
          <Row label="Tokens kept" hint="a BFF is a confidential client: the browser holds only an HttpOnly cookie">
            {(id) => (
              <select
                id={id}
                className={input}
                value={draft.tokenStorage}
                onChange={(e) => {
                  const tokenStorage = e.target.value as TokenStorage;
                  update(tokenStorage === 'bff' ? { tokenStorage, clientType: 'confidential' } : { tokenStorage });
                }}
              >
                <option value="browser">in the browser (the page holds them)</option>
                <option value="bff">at a backend-for-frontend (BFF)</option>
              </select>
            )}
          </Row>
          <Row label="Client stores the password" hint="password grant only: the legacy anti-pattern">
            {(id) => (
              <input
                id={id}
                type="checkbox"
                checked={draft.storesPassword}
                onChange={(e) => update({ storesPassword: e.target.checked })}
              />
            )}
          </Row>
          <Row label="Sender-constrained (DPoP)" hint="tokens bound to a key only the app's page can use">
            {(id) => <input id={id} type="checkbox" checked={draft.dpop} onChange={(e) => update({ dpop: e.target.checked })} />}
          </Row>
        </fieldset>
        <fieldset className="flex flex-col gap-2 rounded border border-slate-300 p-2 dark:border-slate-600">
          <legend className="px-1 text-sm font-semibold">Behaviours (automatic traffic)</legend>
          <Row label="User's app calls every" hint="while the user is present; empty = off">
            {(id) => (
              <input
                id={id}
                className={input}
                placeholder="off"
                value={draft.userEvery}
                onChange={(e) => update({ userEvery: e.target.value })}
              />
            )}
          </Row>
          <Row label="Attacker acts every" hint="once it holds something; empty = off">
            {(id) => (
              <input
                id={id}
                className={input}
                placeholder="off"
                value={draft.attackerEvery}
                onChange={(e) => update({ attackerEvery: e.target.value })}
              />
            )}
          </Row>
        </fieldset>
        <fieldset className="flex flex-col gap-1 rounded border border-slate-300 p-2 dark:border-slate-600">
          <legend className="px-1 text-sm font-semibold">While a jump runs, new commands…</legend>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            A preference of this browser, kept at once (it does not restart the run).
          </p>
          {(
            [
              ['wait', 'wait for the jump to finish'],
              ['cancel', 'cancel the jump (the clock stays where it got to)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="while-running"
                value={value}
                checked={whileRunning === value}
                onChange={() => setWhileRunning(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        {error && (
          <p role="alert" className="rounded border border-red-700 bg-red-50 p-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
            ✗ {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={`${input} font-medium`} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="rounded bg-teal-800 px-3 py-1 text-sm font-semibold text-white hover:bg-teal-900">
            Restart with these settings
          </button>
        </div>
      </form>
    </dialog>
  );
}
