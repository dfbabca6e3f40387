// The resource server carrying out its part (SEMANTICS.md §2, §6): an API request, its checks in
// the order ../rules/resource-server.ts decides (the world finds out jose's verdict, the proof's
// check and the AS's introspection answer when asked), the answer and the API-call measures.
import { boundKeyOf } from '../exposure';
import { resourceServerTransition } from '../parties';
import { API_ENDPOINT, API_METHOD } from '../protocol';
import { apiDecision, type ApiRequestFacts } from '../rules/resource-server';
import type { AccessTokenRecord, ProofChoice, TokenLabel } from '../types';
import { introspectionAnswer } from './authorization-server';
import { respond, sendRequest, type Response, type WorldContext } from './context';

/**
 * `via: "bff"`: the attacker's request from the hijacked page, which the BFF sent on with its
 * own token and key; it counts as the attacker's call, and the RS logs it as the app's.
 */
export async function apiRequest(
  w: WorldContext,
  from: 'client' | 'attacker',
  label: TokenLabel | null,
  choice?: ProofChoice,
  via?: 'bff',
): Promise<Response> {
  const s = w.state;
  s.metrics.resourceServer.requests++;
  const record = label ? w.accessToken(label) : undefined;
  const bound = record ? boundKeyOf(record) : null;
  // jose's verdict on the token is a pure function of the token, the key set and the instant, and
  // a request with a token always has it checked first: started now, it runs on WebCrypto's
  // threads while the sender signs its DPoP proof. The decision reads it when it asks, as before.
  const verdict = record ? w.crypto.verifyAccessToken(record.jwt, w.unixNow(), w.config.resourceServer.leeway) : null;
  void verdict?.catch(() => undefined); // awaited below; this only keeps a failed load from going unhandled if the proof throws first
  const proof = await w.proofFor(via ? 'client' : from, 'api', bound, record?.jwt ?? null, via ? undefined : choice);
  const id = sendRequest(w, from, 'resourceServer', 'api', { token: label, ...(via && { via }) }, proof);
  if (from === 'client' || via) s.resourceServer = { ...s.resourceServer, lastAppToken: label };
  const before = s.resourceServer.phase;
  // The RS's checks in order (rules/resource-server.ts): the world finds out each fact the
  // decision asks for (jose's verdict, the proof's check, the AS's answer), then carries out the answer.
  const facts: ApiRequestFacts = {
    token: label && record ? { bound } : null,
    dpop: w.dpop,
    validation: w.config.resourceServer.validation,
    proofSent: proof !== undefined,
    verdict: null,
    proof: null,
    active: null,
  };
  let decision = apiDecision(facts);
  while (decision.kind === 'verifyJwt' || decision.kind === 'checkProof' || decision.kind === 'introspect') {
    if (decision.kind === 'verifyJwt') {
      // The signature is verified only until the JWT check has passed once (jwt.ts remembers it).
      if (!w.acceptedBefore(label!)) s.work.signatures++;
      facts.verdict = await verdict!;
      if (facts.verdict.ok) w.markAccepted(label!);
    } else if (decision.kind === 'checkProof') {
      facts.proof = await w.checkProof(s.resourceServer.dpopJtis, proof!, {
        htm: API_METHOD,
        htu: API_ENDPOINT,
        accessToken: record!.jwt,
        boundJkt: bound!,
      });
    } else {
      facts.active = introspect(w, label!, record!);
    }
    decision = apiDecision(facts);
  }
  let response: Response;
  if (decision.kind === 'accept') {
    response = respond(w, id, 'resourceServer', from, 'api', 200, null, null, [], decision.checks);
    s.resourceServer = resourceServerTransition(s.resourceServer, { type: 'RequestAccepted', token: label!, checks: decision.checks }, s.t);
  } else {
    const { status, error, reason, checks, dpop } = decision;
    response = respond(w, id, 'resourceServer', from, 'api', status, error, reason, [], checks ?? undefined, dpop);
    s.resourceServer = resourceServerTransition(
      s.resourceServer,
      { type: 'RequestRejected', token: facts.token ? label : null, checks, reason },
      s.t,
    );
  }
  w.phaseChanged('resourceServer', before, s.resourceServer.phase, s.resourceServer.lastTransition!.on);
  countApiCall(w, from, response.ok);
  return response;
}

/** The RS asks the AS about a token (RFC 7662): one request, one AS lookup; gives the answer. */
export function introspect(w: WorldContext, label: TokenLabel, record: AccessTokenRecord): boolean {
  const s = w.state;
  s.metrics.resourceServer.introspections++;
  s.metrics.authServer.stateLookups++;
  const introspectionId = sendRequest(w, 'resourceServer', 'authServer', 'introspection', { token: label });
  const active = introspectionAnswer(w, record);
  w.emit({
    type: 'ResponseSent',
    requestId: introspectionId,
    from: 'authServer',
    to: 'resourceServer',
    endpoint: 'introspection',
    status: 200,
    error: null,
    reason: active ? null : 'inactive',
    issued: [],
    active,
  });
  return active;
}

export function countApiCall(w: WorldContext, from: 'client' | 'attacker', ok: boolean): void {
  const m = w.state.metrics;
  if (from === 'client') {
    if (ok) m.user.apiCallsOk++;
    else m.user.apiCallsRejected++;
    return;
  }
  if (!ok) {
    m.attacker.apiCallsRejected++;
    return;
  }
  m.attacker.apiCallsOk++;
  m.attacker.lastApiCallOkAt = w.state.t;
  if (w.state.firstStop !== null) w.state.lastAttackerOkAfterStop = w.state.t;
}
