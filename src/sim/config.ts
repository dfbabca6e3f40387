// Presets (SCENARIO-FORMAT.md "Presets") and the field-by-field merge that turns a preset plus
// a scenario's overrides into a complete configuration.
import type { Config, PresetId, RefreshTokenConfig, SignInSessionConfig } from './types';

const MINUTE = 60;
const DAY = 86_400;

const ROTATING: RefreshTokenConfig = {
  rotation: true,
  reuseDetection: true,
  reuseInterval: 0,
  idleTtl: null,
  absoluteTtl: 30 * DAY,
};

const STATIC: RefreshTokenConfig = { ...ROTATING, rotation: false, reuseDetection: false };

function preset(id: PresetId, overrides: Partial<Omit<Config, 'preset'>>): Config {
  return {
    preset: id,
    accessToken: { ttl: 5 * MINUTE },
    refreshToken: null,
    login: 'code-pkce',
    pkce: true,
    authServer: { signInSession: null, revokeGrantsOnPasswordChange: true },
    client: { type: 'public', storesPassword: false, tokenStorage: 'browser' },
    resourceServer: { validation: 'local', leeway: 0 },
    senderConstraint: 'none',
    ...overrides,
  };
}

export const PRESETS: Readonly<Record<PresetId, Config>> = {
  'long-lived-access': preset('long-lived-access', { accessToken: { ttl: 30 * DAY } }),
  'short-access-only': preset('short-access-only', {}),
  'stored-password': preset('stored-password', {
    login: 'password-grant',
    client: { type: 'public', storesPassword: true, tokenStorage: 'browser' },
  }),
  'introspected-access': preset('introspected-access', {
    accessToken: { ttl: 30 * DAY },
    resourceServer: { validation: 'introspection', leeway: 0 },
  }),
  'static-refresh': preset('static-refresh', { refreshToken: STATIC }),
  'rotating-refresh': preset('rotating-refresh', { refreshToken: ROTATING }),
  'dpop-bound': preset('dpop-bound', { refreshToken: ROTATING, senderConstraint: 'dpop' }),
  bff: preset('bff', { refreshToken: ROTATING, client: { type: 'confidential', storesPassword: false, tokenStorage: 'bff' } }),
};

export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];

export const DEFAULT_PRESET: PresetId = 'rotating-refresh';

// The presets' human names (for the UI and reports) are a leaf of their own, so the app's header
// shows them without loading the presets' tables.
export { PRESET_NAMES } from './preset-names';

export interface ConfigOverrides {
  preset?: PresetId;
  accessToken?: Partial<Config['accessToken']>;
  refreshToken?: Partial<RefreshTokenConfig> | null;
  login?: Config['login'];
  pkce?: boolean;
  authServer?: { signInSession?: SignInSessionConfig | null; revokeGrantsOnPasswordChange?: boolean };
  client?: Partial<Config['client']>;
  resourceServer?: Partial<Config['resourceServer']>;
  senderConstraint?: Config['senderConstraint'];
}

/**
 * Starts from the preset (default rotating-refresh) and merges the given fields one by one.
 * A refreshToken object on a preset without refresh tokens starts from the rotating values.
 */
export function resolveConfig(overrides: ConfigOverrides = {}): Config {
  const base = PRESETS[overrides.preset ?? DEFAULT_PRESET];
  let refreshToken: RefreshTokenConfig | null = base.refreshToken;
  if (overrides.refreshToken === null) refreshToken = null;
  else if (overrides.refreshToken !== undefined) {
    refreshToken = { ...(base.refreshToken ?? ROTATING), ...overrides.refreshToken };
  }
  const client = { ...base.client, ...overrides.client };
  // SEMANTICS.md §10: `bff` implies a confidential client (the BFF holds the secret). A file that
  // writes `type: "public"` with it is refused by `overridesError`.
  if (client.tokenStorage === 'bff') client.type = 'confidential';
  const signInSession =
    overrides.authServer?.signInSession !== undefined ? overrides.authServer.signInSession : base.authServer.signInSession;
  return {
    preset: base.preset,
    accessToken: { ...base.accessToken, ...overrides.accessToken },
    refreshToken: refreshToken && { ...refreshToken },
    login: overrides.login ?? base.login,
    pkce: overrides.pkce ?? base.pkce,
    authServer: {
      signInSession: signInSession && { ...signInSession },
      revokeGrantsOnPasswordChange: overrides.authServer?.revokeGrantsOnPasswordChange ?? base.authServer.revokeGrantsOnPasswordChange,
    },
    client,
    resourceServer: { ...base.resourceServer, ...overrides.resourceServer },
    senderConstraint: overrides.senderConstraint ?? base.senderConstraint,
  };
}

/** A configuration error the format forbids, or null. */
export function configError(config: Config): { path: string; message: string } | null {
  const rt = config.refreshToken;
  if (rt && !rt.rotation && rt.reuseDetection) {
    return { path: 'config.refreshToken.reuseDetection', message: 'reuse detection needs rotation (rotation: true)' };
  }
  if (rt && !rt.rotation && rt.reuseInterval > 0) {
    return { path: 'config.refreshToken.reuseInterval', message: 'a reuse interval needs rotation (rotation: true)' };
  }
  if (config.accessToken.ttl < 1) {
    return { path: 'config.accessToken.ttl', message: 'must be at least 1s' };
  }
  if (config.client.storesPassword && config.login !== 'password-grant') {
    return {
      path: 'config.client.storesPassword',
      message: 'only the password grant lets the app see and store the password (login: "password-grant")',
    };
  }
  if (config.login === 'password-grant' && config.authServer.signInSession !== null) {
    return {
      path: 'config.authServer.signInSession',
      message: 'the password grant never visits the AS sign-in page, so it has no sign-in session (needs login: "code-pkce")',
    };
  }
  if (config.client.tokenStorage === 'bff' && config.client.type !== 'confidential') {
    return { path: 'config.client.type', message: 'a BFF is a confidential client (tokenStorage "bff" needs type "confidential")' };
  }
  return null;
}

/**
 * The configuration errors that depend on what a file wrote, not only on the result of the merge
 * (SEMANTICS.md §10): `pkce` written with the password grant (even `true`), `type: "public"`
 * written with `tokenStorage: "bff"`, `storesPassword` without the password grant (named where
 * the file wrote it). Checked before `configError`.
 */
export function overridesError(overrides: ConfigOverrides, config: Config): { path: string; message: string } | null {
  if (overrides.pkce !== undefined && config.login === 'password-grant') {
    return {
      path: 'config.pkce',
      message: 'PKCE belongs to the code login; the password grant has no code (remove pkce, or use login: "code-pkce")',
    };
  }
  if (config.client.tokenStorage === 'bff' && overrides.client?.type === 'public') {
    return { path: 'config.client.type', message: 'a BFF is a confidential client (tokenStorage "bff" needs type "confidential")' };
  }
  if (config.client.storesPassword && config.login !== 'password-grant' && overrides.client?.storesPassword === undefined) {
    return { path: 'config.login', message: 'this preset stores the password, which needs login: "password-grant"' };
  }
  return null;
}
