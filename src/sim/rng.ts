// The world's seeded random numbers (sfc32, seeded through splitmix32). Its state is four plain
// numbers, so it travels inside a world's snapshot; there is no module-level state, so two
// worlds never share a stream.

export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): RngState {
  // Fold seeds beyond 32 bits in, so every non-negative safe integer gives its own stream.
  const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 2 ** 32));
  const state: RngState = [mix(), mix(), mix(), mix()];
  for (let i = 0; i < 12; i++) nextU32(state);
  return state;
}

/** Advances the state in place and returns a uniform 32-bit unsigned integer. */
export function nextU32(state: RngState): number {
  let [a, b, c, d] = state;
  const t = (((a + b) >>> 0) + d) >>> 0;
  d = (d + 1) >>> 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) >>> 0;
  c = ((c << 21) | (c >>> 11)) >>> 0;
  c = (c + t) >>> 0;
  state[0] = a >>> 0;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  return t;
}

export function randomBytes(state: RngState, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const word = nextU32(state);
    for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
  }
  return out;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += BASE64URL[b0 >> 2]! + BASE64URL[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)]!;
    if (b1 !== undefined) out += BASE64URL[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)]!;
    if (b2 !== undefined) out += BASE64URL[b2 & 63]!;
  }
  return out;
}

/** Decodes unpadded base64url; throws on a character outside the alphabet. */
export function fromBase64url(text: string): Uint8Array {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of text) {
    const value = BASE64URL.indexOf(ch);
    if (value < 0) throw new Error('not base64url');
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

export function randomToken(state: RngState, bytes: number): string {
  return base64url(randomBytes(state, bytes));
}

/**
 * A second, independent stream from the same seed (the sign-in stream: PKCE verifiers and
 * authorization codes), so adding sign-in messages leaves every token string of the main stream
 * as it was.
 */
export function createStream(seed: number, stream: number): RngState {
  const state = createRng(seed);
  state[0] = (state[0] ^ Math.imul(stream, 0x9e3779b9)) >>> 0;
  state[3] = (state[3] ^ stream) >>> 0;
  for (let i = 0; i < 12; i++) nextU32(state);
  return state;
}
