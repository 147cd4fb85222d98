// The signature algorithms of this server's keys, with nothing else in the module, so that a
// screen in the browser (the console's client form) can list them without the key code.

/** OpenID Connect Core §15.1: RS256 is mandatory; ES256 and EdDSA are offered. */
export const KEY_ALGORITHMS = ["RS256", "ES256", "EdDSA"] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export function isKeyAlgorithm(value: string): value is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly string[]).includes(value);
}
