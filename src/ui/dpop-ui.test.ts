// DPoP in the UI's read models: the narration of proofs, thefts, hijacked pages and the DPoP
// refusals, and the token inspector's view of a bound token next to the proofs that carried it.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../sim/scenario';
import { World } from '../sim/world';
import { BUILT_IN_SCENARIOS } from '../scenarios/index';
import { inspectToken, type AccessInspection, type RefreshInspection } from './inspector-model';
import { narrate, type NarrationLine } from './narration';
import { actionLabel } from './vocabulary';
import { verdictOf, viewOf, worldAt } from './test-support';

async function lessonWorld(t?: number): Promise<World> {
  const entry = BUILT_IN_SCENARIOS.find((s) => s.id === 'dpop-stolen-token')!;
  const parsed = parseScenario(entry.json);
  if (!parsed.ok) throw new Error(parsed.error);
  const w = await World.create(parsed.scenario);
  await w.advanceTo(t ?? w.end);
  return w;
}

const at = (lines: NarrationLine[], t: number) => lines.filter((l) => l.t === t).map((l) => l.text);

describe('narration of DPoP', () => {
  it('tells the lesson: binding, a theft that gets no key, the refusals, the hijacked page and its end', async () => {
    const lines = narrate(viewOf(await lessonWorld()));
    expect(at(lines, 0).join(' ')).toMatch(
      /DPoP proof signed with the app’s key.*AT#1 carries the key’s thumbprint in its cnf\.jkt claim, and RT#1 is bound to the same key/,
    );
    expect(at(lines, 30)[0]).toMatch(/fresh DPoP proof .* jti.*htm, htu.*iat.*ath/);
    expect(at(lines, 60)[0]).toMatch(/AT#1, but it is bound to the app’s DPoP key.*cannot be copied.*RT#1.*bound to the app’s DPoP key/);
    expect(at(lines, 90)[0]).toMatch(
      /rejected it \(401 invalid_token\): AT#1 is bound to the app’s DPoP key .* without a proof .* plain Bearer token/,
    );
    expect(at(lines, 120)[0]).toMatch(
      /refused it \(400 invalid_grant\): RT#1 is bound to the app’s DPoP key, and this request carried no DPoP proof at all.*no family is revoked/,
    );
    expect(at(lines, 160)[0]).toMatch(/captured and resent unchanged.*401 invalid_dpop_proof.*already seen a proof with this jti.*replay/);
    expect(at(lines, 180)[0]).toMatch(/runs inside the app’s open page.*cannot read the app’s private DPoP key.*RFC 9449 §11\.4/);
    const hijacked = lines.find((l) => l.t === 190)!;
    expect(hijacked).toMatchObject({ actor: 'attacker', tone: 'warn' });
    expect(hijacked.text).toMatch(/through the app’s hijacked page.*accepted it.*DPoP cannot tell this request from the app’s own/);
    expect(at(lines, 240)[0]).toMatch(/closed its page.*attacker’s script.*fail again when it uses them from elsewhere/);
    expect(at(lines, 270)[0]).toMatch(/401 invalid_token.*without a proof/);
    // The long explanation is given once; no raw reason codes in the prose.
    expect(at(lines, 270)[0]).not.toMatch(/cannot be copied out of the app/);
    for (const l of lines) expect(l.text.replace(/\binvalid_[a-z_]+/g, '')).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
  });

  it('names each failed proof check', async () => {
    const w = await worldAt({
      config: { preset: 'dpop-bound' },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 0, do: 'attacker.steal', what: 'both' },
        { at: 5, do: 'attacker.callApi', proof: 'replay' },
        { at: 10, do: 'attacker.callApi', proof: 'own-key' },
        { at: 70, do: 'attacker.refresh', proof: 'replay' },
        { at: 80, do: 'attacker.refresh', proof: 'own-key' },
      ],
    });
    const lines = narrate(viewOf(w));
    expect(at(lines, 5)[0]).toMatch(/another HTTP method \(htm "POST"\)/);
    expect(at(lines, 10)[0]).toMatch(/DPoP proof signed with its own key.*signed with a different key from the one the token is bound to/);
    expect(at(lines, 70)[0]).toMatch(
      /400 invalid_dpop_proof.*iat is more than 1 min.*09:00:00, 1 min 10 s ago.*before it even looks up RT#1/,
    );
    expect(at(lines, 80)[0]).toMatch(/400 invalid_grant.*different key \(the attacker’s own\)/);
  });

  it('tells a stolen password under DPoP: the attacker binds its own tokens to its own key', async () => {
    const w = await worldAt({
      config: { preset: 'dpop-bound', login: 'password-grant', client: { storesPassword: true } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'attacker.steal', what: 'password' },
        { at: 20, do: 'attacker.login' },
        { at: 30, do: 'attacker.callApi' },
      ],
    });
    const lines = narrate(viewOf(w));
    expect(at(lines, 20)[0]).toMatch(/signed with the attacker’s own key.*does nothing against a stolen password/);
    expect(at(lines, 30)[0]).toMatch(/accepted it.*bound to the attacker’s own key/);
  });

  it('tells a hijack that finds no open page, and a release with no script in the page', async () => {
    const w = await worldAt({
      config: { preset: 'dpop-bound' },
      steps: [
        { at: 0, do: 'attacker.releasePage' },
        { at: 0, do: 'user.leave' },
        { at: 10, do: 'attacker.hijackPage' },
      ],
    });
    const lines = narrate(viewOf(w));
    expect(lines.map((l) => l.text)).toEqual([
      'The attacker’s script was not running in the app’s page, so nothing changed.',
      'The user is not using the app, so there is nothing to walk away from.',
      'Nothing was sent: the app’s page is closed (the user walked away), so there is no page for the attacker’s script to run in.',
    ]);
  });

  it('with bearer tokens in the page, a hijack is more than a copy, and the narration says what a BFF changes', async () => {
    const lines = narrate(viewOf(await worldAt({ steps: [{ at: 0, do: 'attacker.hijackPage' }] })));
    const hijack = lines.find((l) => l.text.includes('persistent XSS'))!.text;
    expect(hijack).toMatch(/copy every new token the moment the app receives it/);
    expect(hijack).toMatch(/sign in on its own/);
    expect(hijack).toMatch(/backend-for-frontend/);
    expect(hijack).not.toMatch(/adds nothing/);
  });

  it('labels the new actions', () => {
    expect(actionLabel({ do: 'attacker.hijackPage' })).toBe('Hijack the open page');
    expect(actionLabel({ do: 'attacker.releasePage' })).toBe('Leave the page');
    expect(actionLabel({ do: 'attacker.callApi', proof: 'replay' })).toBe('Call API (replaying the app’s proof)');
    expect(actionLabel({ do: 'attacker.refresh', proof: 'own-key' })).toBe('Refresh (proof with own key)');
    expect(actionLabel({ do: 'attacker.callApi' })).toBe('Call API');
  });
});

describe('the inspector shows a bound token next to its proofs', () => {
  it('shows cnf.jkt, whose key it is, the proof that bound it and the last one sent with it, decoded', async () => {
    const w = await lessonWorld(150);
    const view = viewOf(w);
    const model = inspectToken(view, 'AT#1', await verdictOf(w, 'AT#1')) as AccessInspection;
    expect(model.dpop).not.toBeNull();
    const dpop = model.dpop!;
    expect(dpop.jkt).toBe(w.dpopKeys.client);
    expect(dpop.keyOwner).toBe('app');
    expect(dpop.text).toMatch(/Bound to the app’s DPoP key.*Only the app can make such proofs/);
    expect(dpop.issuedWith).toMatchObject({ endpoint: 'token', source: 'app', from: 'client', when: '09:00:00', outcome: { ok: true } });
    expect(dpop.lastPresented).toMatchObject({ endpoint: 'api', source: 'app', t: 150, outcome: { ok: true, text: 'Accepted (200).' } });
    const last = dpop.lastPresented!;
    expect(last.header.map((r) => r.name)).toEqual(['typ', 'alg', 'jwk']);
    expect(last.header.find((r) => r.name === 'typ')).toMatchObject({ value: '"dpop+jwt"', ok: true });
    expect(last.header.find((r) => r.name === 'jwk')!.note).toMatch(/matches this token’s cnf\.jkt/);
    expect(last.claims.map((r) => r.name)).toEqual(['jti', 'htm', 'htu', 'iat', 'ath']);
    expect(last.claims.find((r) => r.name === 'ath')).toMatchObject({ ok: true, note: expect.stringMatching(/hash \(SHA-256\) of AT#1/) });
    expect(last.claims.find((r) => r.name === 'iat')!.note).toMatch(/^made at 09:02:30/);
    expect([last.parts.header, last.parts.payload, last.parts.signature].join('.')).toBe(last.raw);
    expect(model.claims.find((r) => r.name === 'cnf')!.note).toMatch(/bound to the app’s DPoP key/);
    expect(model.notes.join(' ')).toMatch(/The attacker holds a copy of AT#1, but without the app’s key it cannot use it/);
    if (model.verdict.state !== 'done') throw new Error('verdict');
    expect(model.verdict.summary).toBe(
      'The resource server would accept AT#1 now, with a fresh DPoP proof from whoever holds the app’s DPoP key.',
    );
    expect(model.verdict.checks.at(-1)).toMatchObject({
      name: 'dpop',
      result: null,
      text: expect.stringMatching(/fresh proof signed by the app’s DPoP key/),
    });
  });

  it('shows a refused replay as the last proof, and the page the attacker runs in', async () => {
    const w = await lessonWorld(180);
    const model = inspectToken(viewOf(w), 'AT#1', await verdictOf(w, 'AT#1')) as AccessInspection;
    expect(model.dpop!.lastPresented).toMatchObject({
      source: 'replayed',
      from: 'attacker',
      outcome: { ok: false, text: 'Refused (401 invalid_dpop_proof): invalid DPoP proof — its jti was already seen (a replay).' },
    });
    expect(model.dpop!.lastPresented!.claims.find((r) => r.name === 'jti')!.ok).toBe(false);
    expect(model.dpop!.text).toMatch(/so, right now, can the attacker/);
    expect(model.notes.join(' ')).toMatch(/while its script runs inside the app’s open page it can use it/);
  });

  it('a proof made with another key does not match cnf.jkt', async () => {
    const w = await worldAt({
      config: { preset: 'dpop-bound' },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 0, do: 'attacker.steal', what: 'access' },
        { at: 10, do: 'attacker.callApi', proof: 'own-key' },
      ],
    });
    const model = inspectToken(viewOf(w), 'AT#1', await verdictOf(w, 'AT#1')) as AccessInspection;
    const jwk = model.dpop!.lastPresented!.header.find((r) => r.name === 'jwk')!;
    expect(jwk).toMatchObject({ ok: false, note: expect.stringMatching(/attacker’s own DPoP key; its thumbprint does not match/) });
  });

  it('shows the refresh token’s binding; unbound tokens have no DPoP section', async () => {
    const w = await lessonWorld(10);
    const rt = inspectToken(viewOf(w), 'RT#1', null) as RefreshInspection;
    expect(rt.fields.find((f) => f.name === 'Bound to (DPoP)')!.value).toMatch(/^the app’s DPoP key, thumbprint /);
    expect(rt.asAnswer.text).toMatch(
      /with a DPoP proof signed by the app’s DPoP key; without one, or with another key, it is refused and nothing is revoked/,
    );
    const bearer = await worldAt({ steps: [{ at: 0, do: 'client.login' }] });
    const at1 = inspectToken(viewOf(bearer), 'AT#1', await verdictOf(bearer, 'AT#1')) as AccessInspection;
    expect(at1.dpop).toBeNull();
    if (at1.verdict.state !== 'done') throw new Error('verdict');
    expect(at1.verdict.checks.map((c) => c.name)).not.toContain('dpop');
    expect((inspectToken(viewOf(bearer), 'RT#1', null) as RefreshInspection).fields.map((f) => f.name)).not.toContain('Bound to (DPoP)');
  });
});

describe('the page closing without DPoP', () => {
  it('says nothing of a DPoP key when there is none', async () => {
    const w = await worldAt({
      steps: [
        { at: 0, do: 'user.arrive' },
        { at: 1, do: 'attacker.hijackPage' },
        { at: 2, do: 'user.leave' },
      ],
    });
    const text = narrate(viewOf(w))
      .map((l) => l.text)
      .join(' ');
    expect(text).toMatch(/The page closed, and the attacker’s script with it/);
    expect(text).not.toMatch(/DPoP/);
  });
});
