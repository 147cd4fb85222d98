import { publicJsonResponse, withOAuthErrors } from "@/lib/http/responses";
import { getKeyring } from "@/lib/keys/server-keyring";

export const dynamic = "force-dynamic";

// RFC 7517 §5 JWK Set, from memory. A cached copy is an older snapshot, so around a rotation it
// can only lack the new key (retired keys stay published until their tokens expired). RPs refetch
// on an unfamiliar kid (OIDC Core §10.1.1); max-age=300 bounds the wait for those that don't, and
// equals the margin by which a retired key outlives its last token (which covers the 60 s keyring
// reload during which a server may still sign with it).
// The first load reads the keys from the database: while it is unreachable, 503 and Retry-After.
export const GET = withOAuthErrors(async () => {
  const keyring = await getKeyring();
  // Public keys, no cookies: any origin may read them (browser RPs verify ID tokens).
  return publicJsonResponse(keyring.jwksJson, { contentType: "application/jwk-set+json", maxAgeSeconds: 300 });
});
