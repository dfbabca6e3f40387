// Human names for presets, for the UI and reports. A leaf (config.ts re-exports it), so the app's
// header names the preset without loading the presets themselves.
import type { PresetId } from './types';

export const PRESET_NAMES: Readonly<Record<PresetId, string>> = {
  'long-lived-access': 'Long-lived access token only',
  'short-access-only': 'Short access token only (password every time)',
  'stored-password': 'Client stores the password (legacy password grant)',
  'introspected-access': 'Access token + introspection on every call',
  'static-refresh': 'Access + static refresh token',
  'rotating-refresh': 'Access + rotating refresh token (reuse detection)',
  'dpop-bound': 'Sender-constrained (DPoP) tokens',
  bff: 'Backend-for-frontend holds the tokens',
};
