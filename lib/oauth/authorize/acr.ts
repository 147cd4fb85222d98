// How the person signed in, and what the application asked for: `amr` (RFC 8176), `acr` (OpenID
// Connect Core §2) and their requests, `acr_values` (§3.1.2.1) and the `claims` parameter's `acr`
// (§5.5.1.1). The policy is in docs/protocol.md "Authentication methods and step-up".
//
// A session's methods are RFC 8176 values: `pwd` (a password), `otp` (an authenticator app's
// code or a recovery code), `hwk`/`swk` with `user` (a passkey bound to one device, or synced
// between devices, with user verification), and `mfa` whenever two independent factors were
// used (a password and a second factor, or a passkey that verified its user). Two context classes
// summarise them, from the session's methods alone.
import { InvalidRequest } from "../errors.ts";
import { single } from "../raw-params.ts";
import type { RawParams } from "../types.ts";

/** One factor (a password alone). */
export const ACR_SINGLE_FACTOR = "urn:portal:acr:sfa";
/** Two factors, or a passkey with user verification. */
export const ACR_MULTI_FACTOR = "urn:portal:acr:mfa";
/** In the order of strength, as discovery lists them (`acr_values_supported`). */
export const ACR_VALUES: readonly string[] = [ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR];

/** The methods of a session signed in before methods were recorded: a password. */
export const PASSWORD_ONLY: readonly string[] = ["pwd"];

export const isMultiFactor = (amr: readonly string[]): boolean => amr.includes("mfa");

/** The context class a session's methods reach. */
export const acrOf = (amr: readonly string[]): string => (isMultiFactor(amr) ? ACR_MULTI_FACTOR : ACR_SINGLE_FACTOR);

/** What the request asked of the authentication context; absent when it asked nothing. */
export interface AcrRequest {
  /** Acceptable values, most preferred first. */
  readonly values: readonly string[];
  /** From the claims parameter with `essential: true`: the code is issued only when one is met. */
  readonly essential: boolean;
}

/**
 * Reads `acr_values` and the `claims` parameter's `id_token.acr`. The claims parameter must be a
 * JSON object (Core §5.5); its other members are accepted and left to the scopes: Core §5.5.1
 * lets a provider return fewer claims than asked without an error. `acr` requested as essential
 * wins over `acr_values` (both name acceptable classes; the essential one also binds).
 */
export function parseAcrRequest(params: RawParams): AcrRequest | undefined {
  const fromValues = single(params, "acr_values")?.split(" ").filter(Boolean);
  const claimsText = single(params, "claims");
  const fromClaims = claimsText === undefined ? undefined : acrOfClaimsParameter(claimsText);
  if (fromClaims && fromClaims.values.length > 0) return fromClaims;
  if (fromValues && fromValues.length > 0) return { values: fromValues, essential: fromClaims?.essential ?? false };
  return fromClaims?.essential ? fromClaims : undefined;
}

function acrOfClaimsParameter(text: string): AcrRequest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidRequest("claims must be a JSON object");
  }
  if (!isObject(parsed)) throw new InvalidRequest("claims must be a JSON object");
  for (const member of ["id_token", "userinfo"] as const) {
    if (parsed[member] !== undefined && !isObject(parsed[member])) throw new InvalidRequest(`claims.${member} must be a JSON object`);
  }
  const idToken = parsed.id_token;
  const acr = isObject(idToken) ? idToken.acr : undefined;
  if (acr === undefined || acr === null) return undefined;
  if (!isObject(acr)) throw new InvalidRequest("claims.id_token.acr must be null or a JSON object");
  const { essential, value, values } = acr;
  if (essential !== undefined && typeof essential !== "boolean")
    throw new InvalidRequest("claims.id_token.acr.essential must be a boolean");
  if (value !== undefined && typeof value !== "string") throw new InvalidRequest("claims.id_token.acr.value must be a string");
  if (values !== undefined && !(Array.isArray(values) && values.every((item) => typeof item === "string"))) {
    throw new InvalidRequest("claims.id_token.acr.values must be an array of strings");
  }
  const wanted = value !== undefined ? [value] : ((values as string[] | undefined) ?? []);
  return { values: wanted, essential: essential === true };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * What the session still lacks for this request:
 * - `none`: it will do as it is;
 * - `second_factor`: the person must present (or, with none, set up) a second factor first;
 * - `unmet`: an essential request names only classes we do not offer; the request fails.
 * The application's own rule (`requireMfa`) is essential. An `acr_values` request that is only
 * voluntary asks for a second factor only from a person who has one (`hasSecondFactor`): Core
 * §3.1.2.1 lets the provider settle for less, and the ID token's `acr` then says what was met.
 */
export async function stepUpNeeded(
  acr: AcrRequest | undefined,
  requireMfa: boolean,
  amr: readonly string[],
  hasSecondFactor: () => Promise<boolean>,
): Promise<"none" | "second_factor" | "unmet"> {
  if (isMultiFactor(amr)) {
    if (acr?.essential && !acr.values.some((value) => ACR_VALUES.includes(value))) return "unmet";
    return "none";
  }
  if (requireMfa) return "second_factor";
  if (!acr) return "none";
  const known = acr.values.filter((value) => ACR_VALUES.includes(value));
  if (known.length === 0) return acr.essential ? "unmet" : "none";
  if (known.includes(ACR_SINGLE_FACTOR)) return "none";
  if (acr.essential) return "second_factor";
  return (await hasSecondFactor()) ? "second_factor" : "none";
}

/** The methods of a sign-in that added `added` to `amr`: each once, in order, `mfa` last. */
export function withMethods(amr: readonly string[], added: readonly string[]): string[] {
  const all = [...new Set([...amr, ...added])];
  return all.includes("mfa") ? [...all.filter((method) => method !== "mfa"), "mfa"] : all;
}
