// Tokens signed one-shot with node:crypto (lib/oauth/tokens/jws.ts) verify with an independent
// JOSE implementation (jose, through WebCrypto) for every algorithm the portal signs with.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify } from "jose";
import { KEY_ALGORITHMS } from "../../lib/oauth/keys/keyring.ts";
import { privateKeyObject, signJwt } from "../../lib/oauth/tokens/jws.ts";

for (const alg of KEY_ALGORITHMS) {
  test(`${alg}: the signature, header and payload verify with jose`, async () => {
    const pair = await generateKeyPair(alg, { extractable: true });
    const signer = { alg, kid: `kid-${alg}`, privateKey: privateKeyObject(await exportJWK(pair.privateKey)) };
    const payload = { iss: "https://id.example.com", sub: "user-1", aud: "app", iat: 1_700_000_000, exp: 4_000_000_000, name: "Zoë ✓" };
    const jwt = await signJwt(signer, { typ: "at+jwt" }, payload);
    assert.deepEqual(decodeProtectedHeader(jwt), { typ: "at+jwt", alg, kid: `kid-${alg}` });
    const publicKey = await importJWK(await exportJWK(pair.publicKey), alg);
    const verified = await jwtVerify(jwt, publicKey, { algorithms: [alg], typ: "at+jwt" });
    assert.deepEqual(verified.payload, payload);
    // Any change to the signed input breaks it.
    const [header, body, signature] = jwt.split(".");
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...payload, sub: "user-2" })).toString("base64url")}.${signature}`;
    assert.notEqual(body, tampered.split(".")[1]);
    await assert.rejects(jwtVerify(tampered, publicKey, { algorithms: [alg] }));
  });
}

test("a symmetric or public JWK is not a private signing key", async () => {
  const { publicKey } = await generateKeyPair("ES256", { extractable: true });
  assert.throws(() => privateKeyObject({ kty: "oct", k: "c2VjcmV0" }));
  const publicJwk = await exportJWK(publicKey);
  assert.throws(() => privateKeyObject(publicJwk));
});
