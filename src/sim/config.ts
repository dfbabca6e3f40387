// Presets (SCENARIO-FORMAT.md "Presets") and the field-by-field merge that turns a preset plus
// a scenario's overrides into a complete configuration.
import type { Config, PresetId, RefreshTokenConfig } from './types';

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
    client: { type: 'public', storesPassword: false },
    resourceServer: { validation: 'local', leeway: 0 },
    senderConstraint: 'none',
    ...overrides,
  };
}

export const PRESETS: Readonly<Record<PresetId, Config>> = {
  'long-lived-access': preset('long-lived-access', { accessToken: { ttl: 30 * DAY } }),
  'short-access-only': preset('short-access-only', {}),
  'stored-password': preset('stored-password', { client: { type: 'public', storesPassword: true } }),
  'introspected-access': preset('introspected-access', {
    accessToken: { ttl: 30 * DAY },
    resourceServer: { validation: 'introspection', leeway: 0 },
  }),
  'static-refresh': preset('static-refresh', { refreshToken: STATIC }),
  'rotating-refresh': preset('rotating-refresh', { refreshToken: ROTATING }),
  'dpop-bound': preset('dpop-bound', { refreshToken: ROTATING, senderConstraint: 'dpop' }),
};

export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];

export const DEFAULT_PRESET: PresetId = 'rotating-refresh';

/** Human names for presets, for the UI and reports. */
export const PRESET_NAMES: Readonly<Record<PresetId, string>> = {
  'long-lived-access': 'Long-lived access token only',
  'short-access-only': 'Short access token only (password every time)',
  'stored-password': 'Client stores the password',
  'introspected-access': 'Access token + introspection on every call',
  'static-refresh': 'Access + static refresh token',
  'rotating-refresh': 'Access + rotating refresh token (reuse detection)',
  'dpop-bound': 'Sender-constrained (DPoP) tokens',
};

export interface ConfigOverrides {
  preset?: PresetId;
  accessToken?: Partial<Config['accessToken']>;
  refreshToken?: Partial<RefreshTokenConfig> | null;
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
  return {
    preset: base.preset,
    accessToken: { ...base.accessToken, ...overrides.accessToken },
    refreshToken: refreshToken && { ...refreshToken },
    client: { ...base.client, ...overrides.client },
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
  return null;
}
