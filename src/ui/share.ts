// Share links and export. A share link carries the whole session (the scenario JSON, the ops done
// since, and the mode) in the URL fragment: JSON, DEFLATE-compressed with fflate, base64url.
// The fragment never reaches a server. Decoding treats the link as hostile: it is size-capped
// before and while decompressing, never throws, and the session inside goes through the same
// validator as a saved session (readSession → parseScenario), whose errors name the path.
//
// Export writes a plain scenario file (SCENARIO-FORMAT.md, nothing added): the session's scenario
// with the user's actions appended as steps at the instants they were taken, so `npm run sim`
// and Import both read it. Making it replays the session on the core, so that part
// (share-export.ts) runs in the engine host, off the main thread.
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import { scenarioToJson } from '../sim/scenario';
import type { Scenario } from '../sim/types';
import { MODE_IDS, type Mode } from './persistence';
import { readSession } from './session-read';
import type { Session, StoredOp } from './session-format';

/** What a share link holds. `share` names the wrapper's version. */
export const SHARE_VERSION = 'tokenscope-share/1';
/** The fragment key: `#s=<data>`. */
export const SHARE_PREFIX = '#s=';
/** Longest fragment accepted (characters after `#s=`); longer links are refused before decoding. */
export const MAX_FRAGMENT = 64 * 1024;
/** Largest decompressed JSON accepted (bytes); decompression stops as soon as it is passed. */
export const MAX_JSON = 1024 * 1024;

export interface SharePayload {
  mode: Mode;
  session: Session;
}

export type DecodedShare = { ok: true; mode: Mode; scenario: Scenario; ops: StoredOp[]; session: Session } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------
// base64url

const B64URL = /^[A-Za-z0-9_-]*$/;

function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | string {
  if (!B64URL.test(text)) {
    const at = [...text].findIndex((c) => !/[A-Za-z0-9_-]/.test(c));
    const bad = [...text][at] ?? '';
    return `is not base64url (unexpected character ${JSON.stringify(bad)} at position ${at + 1})`;
  }
  if (text.length % 4 === 1) return 'is not base64url (its length is impossible: it was probably cut short)';
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Capped decompression

/**
 * Inflates raw DEFLATE data, giving up as soon as the output passes `cap` bytes (inflateSync
 * has no cap, and a few kilobytes can expand to gigabytes). Input is fed in small pieces, so at
 * most about a megabyte is produced past the cap before it stops.
 */
export function inflateCapped(data: Uint8Array, cap: number): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > cap) over = true;
    else chunks.push(chunk.slice());
  });
  try {
    const PIECE = 1024;
    if (data.length === 0) inflater.push(data, true);
    for (let i = 0; i < data.length && !over; i += PIECE) inflater.push(data.subarray(i, i + PIECE), i + PIECE >= data.length);
  } catch (error) {
    return {
      ok: false,
      error: `cannot be decompressed (${error instanceof Error ? error.message : 'corrupt data'}): it was probably cut short or changed`,
    };
  }
  if (over) return { ok: false, error: `is too large once decompressed (over ${MAX_JSON / 1024 / 1024} MB)` };
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { ok: true, bytes };
}

// ---------------------------------------------------------------------------------------------
// Links

/** The fragment (`#s=…`) for a session and mode. Check its length against MAX_FRAGMENT. */
export function encodeShare({ mode, session }: SharePayload): string {
  const json = JSON.stringify({ share: SHARE_VERSION, mode, session });
  return SHARE_PREFIX + toBase64url(deflateSync(strToU8(json), { level: 9 }));
}

/** Reads a share fragment (`#s=…`). Never throws; an error is one line naming what is wrong. */
export function decodeShare(fragment: string): DecodedShare {
  try {
    return decode(fragment);
  } catch {
    // Unreachable by design; a guard so a hostile link can never break the page.
    return { ok: false, error: 'the link cannot be read' };
  }
}

function decode(fragment: string): DecodedShare {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (!text.startsWith('s=')) return { ok: false, error: 'not a tokenscope share link (expected "#s=…")' };
  const data = text.slice(2);
  if (data.length > MAX_FRAGMENT) {
    return { ok: false, error: `the link is too long (${Math.ceil(data.length / 1024)} KB; at most ${MAX_FRAGMENT / 1024} KB)` };
  }
  if (data.length === 0) return { ok: false, error: 'the link is empty after "#s="' };
  const bytes = fromBase64url(data);
  if (typeof bytes === 'string') return { ok: false, error: `the link ${bytes}` };
  const inflated = inflateCapped(bytes, MAX_JSON);
  if (!inflated.ok) return { ok: false, error: `the link ${inflated.error}` };
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(inflated.bytes));
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/[\r\n\u2028\u2029]+/g, ' ') : 'unreadable';
    return { ok: false, error: `the link is not JSON once decompressed (${reason})` };
  }
  return readPayload(json);
}

/** Checks the decompressed JSON: the share wrapper, or a bare scenario file (opened at its start). */
export function readPayload(json: unknown): DecodedShare {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, error: 'link: not an object' };
  const o = json as Record<string, unknown>;
  let mode: Mode = 'sandbox';
  let session: unknown;
  if (Object.hasOwn(o, 'format') && !Object.hasOwn(o, 'share')) {
    // SCENARIO-FORMAT.md: a link may carry just a scenario file.
    session = { scenario: o, ops: [] };
  } else {
    if (o.share !== SHARE_VERSION) {
      return { ok: false, error: `link.share: unsupported version ${short(o.share)} (this app reads "${SHARE_VERSION}")` };
    }
    for (const key of Object.keys(o)) {
      if (!['share', 'mode', 'session'].includes(key)) return { ok: false, error: `link: unknown field ${short(key)}` };
    }
    if (!MODE_IDS.includes(o.mode as Mode))
      return { ok: false, error: `link.mode: expected one of ${MODE_IDS.map((m) => `"${m}"`).join(', ')}, got ${short(o.mode)}` };
    mode = o.mode as Mode;
    session = o.session;
  }
  if (session && typeof session === 'object' && !Array.isArray(session)) {
    for (const key of Object.keys(session)) {
      if (key !== 'scenario' && key !== 'ops') return { ok: false, error: `session: unknown field ${short(key)}` };
    }
  }
  const read = readSession(session);
  if (!read.ok) return { ok: false, error: read.error };
  return { ok: true, mode, scenario: read.scenario, ops: read.ops, session: { scenario: scenarioToJson(read.scenario), ops: read.ops } };
}

/** A value quoted for an error line, kept short (it may be anything a link holds). */
function short(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = 'an unreadable value';
  }
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Embed code

/** A value for an HTML attribute in double quotes. */
function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The Share menu's embed code: an <iframe> of an embed URL (`?embed=1#…`, deep-link.ts). The
 * sandbox lets the app run its scripts and workers (allow-scripts, and allow-same-origin so it can
 * load its own files; it stays on its own origin, apart from the host page) and open "Open in
 * tokenscope" in an ordinary new tab (allow-popups, allow-popups-to-escape-sandbox); nothing else.
 */
export function embedCode({ url, title }: { url: string; title: string }): string {
  return `<iframe src="${attribute(url)}" title="${attribute(`tokenscope: ${title}`)}" width="100%" height="760" loading="lazy" style="border: 1px solid #94a3b8; border-radius: 8px" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>`;
}

// ---------------------------------------------------------------------------------------------
// Export

export type { ExportedScenario } from './session-format';

/** A file name for a scenario title: `tokenscope-<slug>.json`. */
export function exportFileName(title: string | undefined): string {
  const slug = (title ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `tokenscope-${slug || 'scenario'}.json`;
}
