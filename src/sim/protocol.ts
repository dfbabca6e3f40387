// The protocol's fixed names: who issues tokens and for whom, what they are typed as, and where
// DPoP proofs point. A leaf module (it imports nothing), so crypto.ts, jwt.ts, dpop.ts, the
// engine and the views can all share these without importing one another.

export const ISSUER = 'https://auth.tokenscope.example';
export const AUDIENCE = 'https://api.tokenscope.example';
export const OTHER_AUDIENCE = 'https://photos.tokenscope.example';
export const CLIENT_ID = 'tokenscope-app';
export const SUBJECT = 'user-alice';
export const SCOPE = 'api:read api:write';
export const ACCESS_TOKEN_TYPE = 'at+jwt';

// DPoP (RFC 9449): where proofs point (htm + htu), their type, and how far a proof's iat may be
// from the server's clock. A proof is accepted only while |now - iat| ≤ DPOP_IAT_WINDOW (§11.1);
// its jti is remembered for as long, so a replay inside the window is caught by the jti and one
// outside it by the iat.
export const TOKEN_ENDPOINT = `${ISSUER}/token`;
export const API_ENDPOINT = `${AUDIENCE}/me`;
export const TOKEN_METHOD = 'POST';
export const API_METHOD = 'GET';
export const DPOP_PROOF_TYPE = 'dpop+jwt';
export const DPOP_IAT_WINDOW = 60;
