// Dynamic client registration (RFC 7591 §3) and the client configuration endpoint (RFC 7592 §2),
// after lib/http has extracted the bearer token. The order of every request: the token first
// (nothing about the metadata is said to a caller without a valid one), then the JSON body, then
// the metadata through the validation every client goes through, then one atomic store write.
//
// Choices where the RFCs leave one:
// - Registration requires an initial access token an admin created (RFC 7591 §3, docs/protocol.md).
//   Missing, unknown, expired, revoked or used-up tokens are all 401 invalid_token with one
//   generic description (RFC 6750 §3.1), so the answer never says which.
// - A single-use token is used up only by a registration that succeeds: a refused request leaves
//   it usable. Two concurrent registrations with it: exactly one wins (a conditional update).
// - A body that is not application/json, not JSON or not a JSON object is 400 invalid_request:
//   RFC 7591 §3.2.2's codes are about metadata values, and the request itself is malformed
//   (RFC 6749 §5.2 / RFC 6750 §3.1), as node-oidc-provider also answers.
// - Dynamically registered clients never skip consent: nobody vouched for them.
// - RFC 7592: GET echoes the presented registration access token (§3 requires one in the
//   response, and only its hash is stored); PUT rotates it (§2.2 allows it; a leaked token then
//   lives only until the next update) and the client must keep the new one; GET and PUT never
//   return an existing client secret, because only its hash is stored; PUT issues a new secret
//   only when a public client becomes confidential, and removes the secrets the other way round.
// - RFC 7592 §2.2: a client_id that does not match, or a client_secret that is not the current
//   one, is 400 invalid_request (as node-oidc-provider answers; the RFC names no code).
import { InvalidRequest, InvalidToken } from "../errors.ts";
import { endpointUrl } from "../endpoints.ts";
import { hashToken, matchesHash } from "../tokens/opaque.ts";
import type { Client, OAuthConfig } from "../types.ts";
import type { DynamicClient, InitialAccessTokenRecord, RegistrationDeps, SecretChange } from "./ports.ts";
import { buildClientInformation, parseRegistrationMetadata, type ClientInformationResponse } from "./registration-metadata.ts";
import { mediaTypeOf } from "../wire-values.ts";

export type { RegistrationDeps } from "./ports.ts";
export type { ClientInformationResponse } from "./registration-metadata.ts";

const MAX_BODY_CHARS = 64 * 1024;

export interface RegistrationRequest {
  /** The `Authorization: Bearer` token (the initial access token); undefined when none was sent. */
  readonly accessToken: string | undefined;
  readonly contentType: string | null;
  readonly body: string;
}

export interface ClientConfigurationRequest {
  /** The client_id of the path `/oauth/register/{client_id}`. */
  readonly clientId: string;
  /** The `Authorization: Bearer` token (the registration access token); undefined when none. */
  readonly accessToken: string | undefined;
}

export interface ClientUpdateRequest extends ClientConfigurationRequest {
  readonly contentType: string | null;
  readonly body: string;
}

/** RFC 7591 §3.1: registers a client; answer with 201 and the result (RFC 7591 §3.2.1). */
export async function handleRegistrationRequest(request: RegistrationRequest, deps: RegistrationDeps): Promise<ClientInformationResponse> {
  const now = deps.runtime.now();
  const token = await checkInitialAccessToken(request.accessToken, deps, now);
  const metadata = parseRegistrationMetadata(parseJsonObject(request.contentType, request.body));

  const clientId = deps.runtime.randomToken().slice(0, 24);
  const clientSecret = metadata.tokenEndpointAuthMethod === "none" ? undefined : deps.runtime.randomToken();
  const registrationAccessToken = deps.runtime.randomToken();
  const registered = await deps.store.registerClient(
    { id: token.id, singleUse: token.singleUse },
    {
      clientId,
      metadata,
      clientSecretHash: clientSecret === undefined ? null : hashToken(clientSecret),
      registrationAccessTokenHash: hashToken(registrationAccessToken),
    },
    now,
  );
  // Another request used the single-use token first, or it was revoked meanwhile.
  if (!registered) throw invalidInitialAccessToken();
  return buildClientInformation(registered.client, registered.issuedAt, {
    ...(clientSecret === undefined ? {} : { clientSecret }),
    registrationAccessToken,
    registrationClientUri: registrationClientUri(deps.config, clientId),
  });
}

/** RFC 7592 §2.1: the client's current registration. */
export async function handleClientReadRequest(
  request: ClientConfigurationRequest,
  deps: RegistrationDeps,
): Promise<ClientInformationResponse> {
  const { registered, token } = await authenticateRegistration(request, deps);
  return buildClientInformation(registered.client, registered.issuedAt, {
    registrationAccessToken: token,
    registrationClientUri: registrationClientUri(deps.config, registered.client.clientId),
  });
}

/** RFC 7592 §2.2: replaces the client's metadata as a whole (omitted members become defaults). */
export async function handleClientUpdateRequest(request: ClientUpdateRequest, deps: RegistrationDeps): Promise<ClientInformationResponse> {
  const { registered, token } = await authenticateRegistration(request, deps);
  const now = deps.runtime.now();
  const { client } = registered;
  const body = parseJsonObject(request.contentType, request.body);
  if (body.client_id !== client.clientId) throw new InvalidRequest("client_id must be the client's current client_id");
  const presentedSecret = body.client_secret;
  if (presentedSecret !== undefined && presentedSecret !== null) {
    if (typeof presentedSecret !== "string" || !liveSecretHashes(client, now).some((hash) => matchesHash(presentedSecret, hash))) {
      throw new InvalidRequest("client_secret must be the client's current secret");
    }
  }
  const metadata = parseRegistrationMetadata(body);

  let secret: SecretChange = { kind: "keep" };
  let clientSecret: string | undefined;
  if (metadata.tokenEndpointAuthMethod === "none") secret = { kind: "remove" };
  else if (liveSecretHashes(client, now).length === 0) {
    clientSecret = deps.runtime.randomToken();
    secret = { kind: "issue", hash: hashToken(clientSecret) };
  }
  const registrationAccessToken = deps.runtime.randomToken();
  const updated = await deps.store.updateDynamicClient(client.ref, hashToken(token), {
    metadata,
    secret,
    registrationAccessTokenHash: hashToken(registrationAccessToken),
  });
  // A concurrent update rotated the token first, or a delete removed the client.
  if (!updated) throw invalidRegistrationAccessToken();
  return buildClientInformation(updated.client, updated.issuedAt, {
    ...(clientSecret === undefined ? {} : { clientSecret }),
    registrationAccessToken,
    registrationClientUri: registrationClientUri(deps.config, client.clientId),
  });
}

/** RFC 7592 §2.3: deletes the client, its grants and tokens; answer 204. */
export async function handleClientDeleteRequest(request: ClientConfigurationRequest, deps: RegistrationDeps): Promise<void> {
  const { registered, token } = await authenticateRegistration(request, deps);
  if (!(await deps.store.deleteDynamicClient(registered.client.ref, hashToken(token)))) throw invalidRegistrationAccessToken();
}

/** RFC 7591 §3: the request carries a JSON object. */
export function parseJsonObject(contentType: string | null, body: string): Readonly<Record<string, unknown>> {
  // RFC 9110 §8.3.1: the media type is case-insensitive and may carry parameters.
  const mediaType = mediaTypeOf(contentType);
  if (mediaType !== "application/json") throw new InvalidRequest("the request body must be application/json");
  if (body.length > MAX_BODY_CHARS) throw new InvalidRequest(`the request body must not exceed ${MAX_BODY_CHARS} characters`);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidRequest("the request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidRequest("the request body must be a JSON object");
  }
  return value as Readonly<Record<string, unknown>>;
}

/** RFC 7592 §1.2: `registration_client_uri`, built from the configured issuer. */
export function registrationClientUri(config: OAuthConfig, clientId: string): string {
  return `${endpointUrl(config.issuer, "registration")}/${encodeURIComponent(clientId)}`;
}

async function checkInitialAccessToken(token: string | undefined, deps: RegistrationDeps, now: Date): Promise<InitialAccessTokenRecord> {
  if (token === undefined) throw new InvalidToken("an initial access token is required");
  const record = await deps.store.findInitialAccessToken(hashToken(token));
  if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now) || (record.singleUse && record.usedAt)) {
    throw invalidInitialAccessToken();
  }
  return record;
}

async function authenticateRegistration(
  request: ClientConfigurationRequest,
  deps: RegistrationDeps,
): Promise<{ registered: DynamicClient; token: string }> {
  if (request.accessToken === undefined) throw new InvalidToken("a registration access token is required");
  // RFC 7592 §2: an unknown client and a wrong token get the same 401, so the answer never says
  // whether the client exists. Clients created by an admin have no registration access token.
  const registered = await deps.store.findDynamicClient(request.clientId, hashToken(request.accessToken));
  if (!registered) throw invalidRegistrationAccessToken();
  return { registered, token: request.accessToken };
}

function liveSecretHashes(client: Client, now: Date): string[] {
  return client.secrets.filter((secret) => secret.expiresAt === null || secret.expiresAt > now).map((secret) => secret.hash);
}

const invalidInitialAccessToken = () => new InvalidToken("the initial access token is not valid");
const invalidRegistrationAccessToken = () => new InvalidToken("the registration access token is not valid");
