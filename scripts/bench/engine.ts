// Engine vs. the crypto floor. The engine's run of a scenario (create the world, run it to the
// end, real jose crypto) is timed next to the bare jose work that run needs: the same number of
// EdDSA signs (SignJWT.sign) and verifies (jwtVerify against the same local JWKS, with the same
// mix of accepted and expired tokens), and nothing else. Their ratio is the engine's overhead.
// Two engine paths: the headless runner's (runScenario: no step-back checkpoints) and the app's
// (World.create: a checkpoint every so often, so step back replays a bounded number of ops).
import { SignJWT, createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { deriveKeyPair } from '../../src/sim/crypto';
import { ACCESS_TOKEN_TYPE, AUDIENCE, CLIENT_ID, ISSUER, OTHER_AUDIENCE, SCOPE, SUBJECT } from '../../src/sim/protocol';
import type { Outcome, PresetId, Scenario, SimEvent } from '../../src/sim/types';
import { World, runScenario } from '../../src/sim/world';
import { median, timed } from './stats';
import { workdayScenario } from './workday';

type VerifyKind = 'ok' | 'expired' | 'bad_signature' | 'wrong_audience';

export interface CryptoWork {
  /** Signs with the AS's key (issued access tokens, genuine other-audience tokens). */
  signsAuthServer: number;
  /** Signs with the attacker's own key (forged tokens). */
  signsAttacker: number;
  /** jwtVerify calls by the RS, by how they ended. */
  verifies: Record<VerifyKind, number>;
}

/**
 * The jose calls a run made, read from its trace. A check of a token the API has accepted before
 * makes none (jwt.ts answers it from its memo), so only a token's checks until its first
 * acceptance are counted.
 */
export function cryptoWork(events: readonly SimEvent[]): CryptoWork {
  const work: CryptoWork = { signsAuthServer: 0, signsAttacker: 0, verifies: { ok: 0, expired: 0, bad_signature: 0, wrong_audience: 0 } };
  const tokenOf = new Map<number, string | null>();
  const accepted = new Set<string | null>();
  for (const e of events) {
    if (e.type === 'RequestSent' && e.to === 'resourceServer') tokenOf.set(e.id, e.token);
    else if (e.type === 'AccessTokenIssued') work.signsAuthServer++;
    else if (e.type === 'AccessTokenForged') {
      if (e.forgeKind === 'own-key') work.signsAttacker++;
      else if (e.forgeKind === 'wrong-audience') work.signsAuthServer++;
    } else if (e.type === 'ResponseSent' && e.from === 'resourceServer' && e.endpoint === 'api' && e.checks) {
      // `checks` is present exactly when the RS ran jwtVerify (a request without a token skips it).
      const kind: VerifyKind = e.reason === 'expired' || e.reason === 'bad_signature' || e.reason === 'wrong_audience' ? e.reason : 'ok';
      const token = tokenOf.get(e.requestId) ?? null;
      if (accepted.has(token)) continue;
      if (e.checks.signature && e.checks.type && e.checks.issuer && e.checks.audience && e.checks.expiry) accepted.add(token);
      work.verifies[kind]++;
    }
  }
  return work;
}

export const totalVerifies = (w: CryptoWork) => Object.values(w.verifies).reduce((a, b) => a + b, 0);

/**
 * One engine run: create the world (derives its keys) and run the script to its end, as the
 * headless runner does (`runner`) or as the app does, keeping step-back checkpoints (`app`).
 */
export async function engineRun(
  scenario: Scenario,
  path: 'runner' | 'app' = 'runner',
): Promise<{ ms: number; cpuMs: number; outcome: Outcome }> {
  const { ms, cpuMs, value } = await timed(async () => (path === 'runner' ? runScenario(scenario) : (await World.create(scenario)).run()));
  return { ms, cpuMs, outcome: value };
}

/** The bare jose work of `work`, with keys of the same type, set up outside the timing. */
export async function cryptoFloor(work: CryptoWork, seed = 1): Promise<{ ms: number; cpuMs: number }> {
  const [authServer, attacker] = await Promise.all([deriveKeyPair(seed, 'authorization-server'), deriveKeyPair(seed, 'attacker')]);
  const keySet = createLocalJWKSet({ keys: [authServer.publicJwk] });
  const epoch = 1_767_603_600;
  const claimsAt = (i: number, aud = AUDIENCE): JWTPayload => ({
    iss: ISSUER,
    sub: SUBJECT,
    aud,
    client_id: CLIENT_ID,
    iat: epoch + i * 300,
    exp: epoch + i * 300 + 300,
    jti: i.toString(16).padStart(16, '0'),
    scope: SCOPE,
  });
  const header = (kid: string) => ({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid });
  // Tokens the failing verifies need but whose signing the run did not do (forged elsewhere).
  const foreign = await new SignJWT(claimsAt(0)).setProtectedHeader(header(attacker.kid)).sign(attacker.privateKey);
  const otherAudience = await new SignJWT(claimsAt(0, OTHER_AUDIENCE))
    .setProtectedHeader(header(authServer.kid))
    .sign(authServer.privateKey);
  const options = (now: number) => ({
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: ACCESS_TOKEN_TYPE,
    algorithms: ['EdDSA'],
    currentDate: new Date(now * 1000),
    clockTolerance: 0,
  });

  const { ms, cpuMs } = await timed(async () => {
    const signed: { jwt: string; iat: number; exp: number }[] = [];
    for (let i = 0; i < work.signsAuthServer; i++) {
      const claims = claimsAt(i);
      signed.push({
        jwt: await new SignJWT(claims).setProtectedHeader(header(authServer.kid)).sign(authServer.privateKey),
        iat: claims.iat!,
        exp: claims.exp!,
      });
    }
    for (let i = 0; i < work.signsAttacker; i++) {
      await new SignJWT({ ...claimsAt(i), exp: epoch + 365 * 86_400 }).setProtectedHeader(header(attacker.kid)).sign(attacker.privateKey);
    }
    const pick = (i: number) => signed[i % Math.max(1, signed.length)] ?? { jwt: otherAudience, iat: epoch, exp: epoch + 300 };
    const attempt = async (jwt: string, now: number) => {
      try {
        await jwtVerify(jwt, keySet, options(now));
      } catch {
        // A rejection is part of the work (jose throws for every refused token).
      }
    };
    let n = 0;
    for (let i = 0; i < work.verifies.ok; i++, n++) await attempt(pick(n).jwt, pick(n).iat + 1);
    for (let i = 0; i < work.verifies.expired; i++, n++) await attempt(pick(n).jwt, pick(n).exp + 60);
    for (let i = 0; i < work.verifies.bad_signature; i++) await attempt(foreign, epoch + 1);
    for (let i = 0; i < work.verifies.wrong_audience; i++) await attempt(otherAudience, epoch + 1);
  });
  return { ms, cpuMs };
}

export interface EngineFigures {
  preset: PresetId;
  runs: number;
  events: number;
  signs: number;
  verifies: CryptoWork['verifies'];
  engineMs: number;
  floorMs: number;
  ratio: number;
  /** Median of each round's engine/floor ratio (the two ran back to back, under the same load). */
  roundRatio: number;
  /** The same in CPU time of the process (all threads): work done, whatever the machine's load. */
  engineCpuMs: number;
  floorCpuMs: number;
  cpuRatio: number;
  eventsPerSecond: number;
  engineMsAll: number[];
  floorMsAll: number[];
  /** The app's path (with step-back checkpoints): median wall time and its ratio to the floor. */
  appMs: number;
  appRatio: number;
}

/** Median engine and floor times over `runs` interleaved rounds, after one warm-up round. */
export async function benchEngine(preset: PresetId, runs = 7): Promise<EngineFigures> {
  const scenario = workdayScenario(preset);
  const first = await engineRun(scenario, 'app');
  const work = cryptoWork(first.outcome.events);
  await cryptoFloor(work);
  const engineMsAll: number[] = [];
  const floorMsAll: number[] = [];
  const engineCpuAll: number[] = [];
  const floorCpuAll: number[] = [];
  const appMsAll: number[] = [];
  const engine = async () => {
    const r = await engineRun(scenario, 'runner');
    engineMsAll.push(r.ms);
    engineCpuAll.push(r.cpuMs);
    appMsAll.push((await engineRun(scenario, 'app')).ms);
  };
  const floor = async () => {
    const r = await cryptoFloor(work);
    floorMsAll.push(r.ms);
    floorCpuAll.push(r.cpuMs);
  };
  // Alternating which goes first, so neither always runs on a warmer (or busier) machine.
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      await engine();
      await floor();
    } else {
      await floor();
      await engine();
    }
  }
  const engineMs = median(engineMsAll);
  const floorMs = median(floorMsAll);
  const events = first.outcome.events.length;
  return {
    preset,
    runs,
    events,
    signs: work.signsAuthServer + work.signsAttacker,
    verifies: work.verifies,
    engineMs,
    floorMs,
    ratio: engineMs / floorMs,
    roundRatio: median(engineMsAll.map((e, i) => e / floorMsAll[i]!)),
    engineCpuMs: median(engineCpuAll),
    floorCpuMs: median(floorCpuAll),
    cpuRatio: median(engineCpuAll) / median(floorCpuAll),
    eventsPerSecond: events / (engineMs / 1000),
    engineMsAll,
    floorMsAll,
    appMs: median(appMsAll),
    appRatio: median(appMsAll) / floorMs,
  };
}
