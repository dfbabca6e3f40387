import { describe, expect, it } from 'vitest';
import { inspectToken, jwtParts, type AccessInspection, type RefreshInspection } from './inspector-model';
import { verdictOf, viewOf, worldAt } from './test-support';

describe('access tokens', () => {
  it('splits the JWT, decodes header and claims, and gives human times', async () => {
    const w = await worldAt({
      steps: [
        { at: 0, do: 'client.login' },
        { at: '2m50s', do: 'attacker.steal', what: 'access' },
      ],
    });
    const view = viewOf(w);
    const model = inspectToken(view, 'AT#1', await verdictOf(w, 'AT#1')) as AccessInspection;
    expect(model.kind).toBe('access');
    expect(model.forged).toBeNull();
    expect([model.parts.header, model.parts.payload, model.parts.signature].join('.')).toBe(model.raw);
    expect(model.parts.signature.length).toBeGreaterThan(40);
    expect(model.header.map((r) => [r.name, r.value])).toEqual([
      ['alg', '"EdDSA"'],
      ['typ', '"at+jwt"'],
      ['kid', expect.stringMatching(/^"/)],
    ]);
    const exp = model.claims.find((r) => r.name === 'exp')!;
    expect(exp.value).toBe(String(view.epochSeconds + 300));
    expect(exp.note).toBe('expires 09:05:00, in 2 min 10 s');
    expect(model.claims.find((r) => r.name === 'iat')!.note).toBe('issued at 09:00:00, 2 min 50 s ago');
    expect(model.claims.find((r) => r.name === 'aud')).toMatchObject({
      value: '"https://api.tokenscope.example"',
      note: 'audience: this API',
      ok: true,
    });
    expect(model.holders).toBe('the app and the attacker (a stolen copy)');
    expect(model.grant).toMatchObject({ id: 'G1', revoked: false });
    expect(model.verdict).toMatchObject({ state: 'done', ok: true, summary: 'The resource server would accept AT#1 now.' });
    if (model.verdict.state !== 'done') throw new Error('verdict');
    expect(model.verdict.checks.map((c) => [c.name, c.result])).toEqual([
      ['signature', true],
      ['type', true],
      ['issuer', true],
      ['audience', true],
      ['expiry', true],
      ['introspection', null],
    ]);
    expect(model.verdict.checks.at(-1)!.text).toMatch(/checks tokens locally, so it cannot see/);
  });

  it('shows "checking" until the verdict arrives, and explains an expired token', async () => {
    const w = await worldAt({ steps: [{ at: 0, do: 'client.login' }], until: '6m' });
    const view = viewOf(w);
    expect((inspectToken(view, 'AT#1', null) as AccessInspection).verdict).toEqual({ state: 'checking' });
    const model = inspectToken(view, 'AT#1', await verdictOf(w, 'AT#1')) as AccessInspection;
    expect(model.verdict).toMatchObject({ ok: false, summary: 'The resource server would reject AT#1 now: expired.' });
    if (model.verdict.state !== 'done') throw new Error('verdict');
    expect(model.verdict.checks.find((c) => c.name === 'expiry')).toMatchObject({
      result: false,
      text: 'expired 09:05:00, 1 min ago (the rule is now < exp)',
    });
    expect(model.claims.find((r) => r.name === 'exp')).toMatchObject({ ok: false, note: 'expired 09:05:00, 1 min ago' });
  });

  it('notes that a locally validating RS still accepts a token of a revoked grant', async () => {
    const w = await worldAt({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'attacker.steal', what: 'access' },
        { at: 20, do: 'client.logout' },
      ],
    });
    const model = inspectToken(viewOf(w), 'AT#1', await verdictOf(w, 'AT#1')) as AccessInspection;
    expect(model.grant).toMatchObject({
      id: 'G1',
      revoked: true,
      text: 'started by the user’s login at 09:00:00; revoked by a logout at 09:00:20',
    });
    expect(model.holders).toBe('the attacker');
    expect(model.notes.join(' ')).toMatch(/revoked by a logout, but this resource server checks tokens locally/);
    expect(model.verdict).toMatchObject({ ok: true });
  });

  it('explains forged tokens', async () => {
    const w = await worldAt({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'attacker.forge', kind: 'own-key' },
        { at: 20, do: 'attacker.forge', kind: 'alg-none' },
        { at: 30, do: 'attacker.forge', kind: 'wrong-audience' },
      ],
    });
    const view = viewOf(w);
    const own = inspectToken(view, 'FT#1', await verdictOf(w, 'FT#1')) as AccessInspection;
    expect(own).toMatchObject({ kind: 'access', forged: 'own-key', grant: null, holders: 'the attacker, who made it' });
    expect(own.notes[0]).toMatch(/only the auth server holds the signing key/);
    expect(own.verdict).toMatchObject({ ok: false, summary: 'The resource server would reject FT#1 now: bad signature.' });
    if (own.verdict.state !== 'done') throw new Error('verdict');
    expect(own.verdict.checks.slice(0, 2).map((c) => [c.result, c.text])).toEqual([
      [false, 'does not verify against the auth server’s public key'],
      [null, 'not checked: the signature failed first'],
    ]);

    const none = inspectToken(view, 'FT#2', await verdictOf(w, 'FT#2')) as AccessInspection;
    expect(none.parts.signature).toBe('');
    expect(none.header.find((r) => r.name === 'alg')).toMatchObject({ value: '"none"', ok: false, note: 'no signature at all' });
    expect(none.notes[0]).toMatch(/unsigned token \(alg: none\)/);

    const aud = inspectToken(view, 'FT#3', await verdictOf(w, 'FT#3')) as AccessInspection;
    expect(aud.claims.find((r) => r.name === 'aud')).toMatchObject({ ok: false, value: '"https://photos.tokenscope.example"' });
    expect(aud.notes[0]).toMatch(/audience check refuses it here/);
    expect(aud.verdict).toMatchObject({ ok: false, summary: 'The resource server would reject FT#3 now: wrong audience.' });
  });

  it('finds forged tokens in the trace when the view lists only issued ones', async () => {
    const w = await worldAt({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'attacker.forge' },
      ],
    });
    const view = { ...viewOf(w), accessTokens: [...w.issuedAccessTokens] };
    expect(inspectToken(view, 'FT#1', null)).toMatchObject({ kind: 'access', forged: 'own-key' });
    expect(inspectToken(view, 'AT#9', null)).toMatchObject({ kind: 'missing' });
  });

  it('reports introspection answers', async () => {
    const w = await worldAt({
      config: { preset: 'introspected-access' },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'admin.suspendUser' },
      ],
    });
    const model = inspectToken(viewOf(w), 'AT#1', await verdictOf(w, 'AT#1')) as AccessInspection;
    expect(model.verdict).toMatchObject({
      ok: false,
      summary: 'The resource server would reject AT#1 now: inactive (auth server said no).',
    });
    if (model.verdict.state !== 'done') throw new Error('verdict');
    expect(model.verdict.checks.at(-1)).toMatchObject({
      result: false,
      text: 'the resource server asked the auth server: inactive, because the user is suspended',
    });
  });
});

describe('refresh tokens', () => {
  it('shows the AS record: consumed, family, parent, newest, holders', async () => {
    const w = await worldAt({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 60, do: 'attacker.steal', what: 'refresh' },
        { at: 120, do: 'client.refresh' },
      ],
    });
    const view = viewOf(w);
    const old = inspectToken(view, 'RT#1', null) as RefreshInspection;
    expect(old).toMatchObject({
      kind: 'refresh',
      status: 'consumed',
      grantId: 'G1',
      family: ['RT#1', 'RT#2'],
      parent: null,
      isNewest: false,
    });
    expect(old.raw).toBe(view.state.authServer.refreshTokens['RT#1']!.value);
    expect(old.opaqueNote).toMatch(/Not a JWT/);
    expect(old.statusText).toMatch(/^Consumed at 09:02:00.*reuse, and the auth server would revoke the whole family/);
    expect(old.holders).toBe('the attacker');
    expect(old.asAnswer).toEqual({ ok: false, text: 'A refresh with it now would be refused: reuse detected — family revoked.' });
    const fields = Object.fromEntries(old.fields.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({
      Issued: '09:00:00 (2 min ago)',
      Consumed: '09:02:00 (now)',
      Parent: 'none: issued at login',
      'Newest in family': 'no (the newest is RT#2)',
    });
    expect(fields.Lifetime).toMatch(/^absolute until Wed 4 Feb 09:00:00 \(in 29 d 23 h\)$/);

    const current = inspectToken(view, 'RT#2', null) as RefreshInspection;
    expect(current).toMatchObject({ status: 'active', parent: 'RT#1', isNewest: true, holders: 'the app' });
    expect(current.asAnswer).toMatchObject({ ok: true });
  });

  it('computes "expired" from the idle lifetime', async () => {
    const w = await worldAt({
      config: { refreshToken: { idleTtl: '1h' } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: '10m', do: 'client.refresh' },
      ],
      until: '70m',
    });
    const model = inspectToken(viewOf(w), 'RT#2', null) as RefreshInspection;
    expect(w.current.authServer.refreshTokens['RT#2']!.status).toBe('active');
    expect(model.status).toBe('expired');
    expect(model.statusText).toBe(
      'Expired: the family was idle too long — last used at 09:10:00, so its idle lifetime ran out at 10:10:00.',
    );
    expect(model.asAnswer.text).toBe('A refresh with it now would be refused: idle lifetime over.');
  });

  it('computes "expired" from the absolute lifetime, a second before and at the deadline', async () => {
    const file = { config: { refreshToken: { absoluteTtl: '1h' } }, steps: [{ at: 0, do: 'client.login' }] };
    const before = inspectToken(viewOf(await worldAt({ ...file, until: 3599 })), 'RT#1', null) as RefreshInspection;
    expect(before.status).toBe('active');
    const at = inspectToken(viewOf(await worldAt({ ...file, until: 3600 })), 'RT#1', null) as RefreshInspection;
    expect(at.status).toBe('expired');
    expect(at.statusText).toMatch(/absolute lifetime ended at 10:00:00/);
  });

  it('shows revocation by reuse detection', async () => {
    const w = await worldAt({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 60, do: 'attacker.steal', what: 'refresh' },
        { at: 120, do: 'client.refresh' },
        { at: 180, do: 'attacker.refresh' },
      ],
    });
    const model = inspectToken(viewOf(w), 'RT#2', null) as RefreshInspection;
    expect(model.status).toBe('revoked');
    expect(model.statusText).toBe('Revoked at 09:03:00 by reuse detection, with its whole family.');
    expect(model.asAnswer.ok).toBe(false);
  });
});

describe('jwtParts', () => {
  it('splits on dots and tolerates missing parts', () => {
    expect(jwtParts('a.b.c')).toEqual({ header: 'a', payload: 'b', signature: 'c' });
    expect(jwtParts('a.b.')).toEqual({ header: 'a', payload: 'b', signature: '' });
    expect(jwtParts('opaque')).toEqual({ header: 'opaque', payload: '', signature: '' });
  });
});

describe('authorization codes and PKCE', () => {
  it('shows the code like a token: record, 60 s lifetime, single use, the PKCE pair and who holds the verifier', async () => {
    const w = await worldAt({ steps: [{ at: 0, do: 'client.login' }] }, 10);
    const model = inspectToken(viewOf(w), 'AC#1', null);
    if (model.kind !== 'code') throw new Error(model.kind);
    expect(model.phase).toBe('redeemed');
    expect(model.statusText).toMatch(/Redeemed at .* grant G1.*single use/);
    expect(model.fields.find((f) => f.name === 'Expires')!.value).toMatch(/60 s, single use/);
    expect(model.pkce!.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(model.pkce!.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(model.pkce!.verifierHolder).toBe('the app');
    expect(model.asAnswer.ok).toBe(false);
    expect(model.asAnswer.text).toMatch(/refused: .*and the AS would revoke grant G1/);
  });

  it('an intercepted code: held by the attacker, whose redemption PKCE refuses; expired after 60 s', async () => {
    const file = {
      config: { refreshToken: null },
      steps: [
        { at: 0, do: 'attacker.interceptCode' },
        { at: 1, do: 'client.login' },
      ],
    };
    const w = await worldAt(file, 1);
    // The attacker redeemed it at once and was refused: the code is still unredeemed.
    const model = inspectToken(viewOf(w), 'AC#1', null);
    if (model.kind !== 'code') throw new Error(model.kind);
    expect(model.fields.find((f) => f.name === 'Delivered to')!.value).toMatch(/intercepted/);
    expect(model.holders).toBe('the attacker');
    expect(model.asAnswer.ok).toBe(false);
    expect(model.asAnswer.text).toMatch(/no verifier/);
    await w.advanceTo(61);
    const later = inspectToken(viewOf(w), 'AC#1', null);
    expect(later.kind === 'code' && later.phase).toBe('expired');
  });

  it('without PKCE it says whoever holds the code can redeem it', async () => {
    const w = await worldAt({ config: { pkce: false }, steps: [{ at: 0, do: 'client.login' }] });
    const model = inspectToken(viewOf(w), 'AC#1', null);
    if (model.kind !== 'code') throw new Error(model.kind);
    expect(model.pkce).toBeNull();
    expect(model.noPkce).toMatch(/Whoever holds this code can redeem it/);
  });
});
