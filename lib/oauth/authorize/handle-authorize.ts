// The authorization endpoint and the interactions that complete it. The browser only ever carries
// an interaction id between the endpoint, the login page and the consent page; the request itself
// stays on the server, validated once.
import { AccessDenied, ConsentRequired, InteractionRequired, InvalidRequest, LoginRequired, type OAuthError } from "../errors.ts";
import { reasonOf, type EventSink } from "../events.ts";
import type { AuthorizeStore, BrowserSession, StoredInteraction } from "../ports.ts";
import { isSubset } from "../scope.ts";
import { hashToken } from "../tokens/opaque.ts";
import type { Client, OAuthConfig, RawParams, Runtime } from "../types.ts";
import { PASSWORD_ONLY, stepUpNeeded } from "./acr.ts";
import { codeRedirect, errorRedirect } from "./respond.ts";
import { identifyClient, parseAuthorizationRequest, RedirectableError, UntrustedRedirect, type AuthorizationRequest } from "./request.ts";

export interface AuthorizeDeps {
  readonly config: OAuthConfig;
  readonly runtime: Runtime;
  readonly store: AuthorizeStore;
  /** Where refused requests are reported, with the private reason; nothing when absent. */
  readonly events?: EventSink;
}

export type AuthorizeOutcome =
  /**
   * Shown to the user; never redirected (RFC 6749 §4.1.2.1). `details`: what the request sent
   * that the application's developer needs to see (never anything registered).
   */
  | {
      readonly kind: "error_page";
      readonly error: OAuthError;
      readonly details?: { readonly clientId: string | null; readonly redirectUri?: string };
    }
  | { readonly kind: "redirect"; readonly location: string }
  | { readonly kind: "interaction"; readonly interactionId: string; readonly step: InteractionStep };

/** The screens an interaction visits: sign-in, a second factor (step-up), consent. */
export type InteractionStep = "login" | "second_factor" | "consent";

export async function handleAuthorizeRequest(
  params: RawParams,
  session: BrowserSession | null,
  deps: AuthorizeDeps,
): Promise<AuthorizeOutcome> {
  try {
    const { client, redirectUri } = await identifyClient(params, (id) => deps.store.findClient(id));
    const request = parseAuthorizationRequest(params, client, redirectUri);
    return await proceed(request, client, session, undefined, deps);
  } catch (error) {
    if (error instanceof UntrustedRedirect) {
      deps.events?.emit({ type: "authorize.refused", error: error.error.error, reason: reasonOf(error.error), ...error.context });
      const { clientId, redirectUri } = error.context;
      return { kind: "error_page", error: error.error, details: { clientId, ...(redirectUri !== undefined ? { redirectUri } : {}) } };
    }
    if (error instanceof RedirectableError) {
      const clientId = params.get("client_id")?.[0] ?? null;
      deps.events?.emit({ type: "authorize.refused", clientId, error: error.error.error, reason: reasonOf(error.error) });
      return { kind: "redirect", location: errorRedirect(error.redirectUri, error.error, error.state, deps.config.issuer) };
    }
    throw error;
  }
}

/** Picks up an interaction after sign-in or consent, in the browser session it is bound to. */
export async function resumeAuthorization(
  interactionId: string,
  session: BrowserSession | null,
  deps: AuthorizeDeps,
): Promise<AuthorizeOutcome> {
  const found = await loadInteraction(interactionId, session, deps);
  if ("kind" in found) return found;
  return proceed(found.interaction.request, found.client, session, found.interaction, deps);
}

/** The login page signed the user in for this interaction (in a new, rotated session). */
export async function completeLogin(interactionId: string, session: BrowserSession, deps: AuthorizeDeps): Promise<AuthorizeOutcome> {
  if (!(await attachLogin(interactionId, session, deps))) return expiredPage();
  return resumeAuthorization(interactionId, session, deps);
}

/**
 * Records a sign-in for this interaction without going on yet: the sign-in page has more to show
 * first (the recovery codes of a second factor set up during sign-in). The browser then resumes
 * it (resumeAuthorization) in the same session. False when the interaction is over.
 */
export async function attachLogin(interactionId: string, session: BrowserSession, deps: AuthorizeDeps): Promise<boolean> {
  const interaction = await deps.store.findInteraction(interactionId);
  if (!interaction || isOver(interaction, deps)) return false;
  await deps.store.recordInteractionLogin(interactionId, session);
  return true;
}

/**
 * The person chose the account already signed in on this browser ("Continue as", for
 * prompt=select_account). Not when the application asked for a fresh sign-in (prompt=login, or a
 * max_age the session is older than): then only the password will do.
 */
export async function continueAsSignedIn(interactionId: string, session: BrowserSession, deps: AuthorizeDeps): Promise<AuthorizeOutcome> {
  const interaction = await deps.store.findInteraction(interactionId);
  if (!interaction || isOver(interaction, deps)) return expiredPage();
  if (needsFreshSignIn(interaction.request, session, deps.runtime.now())) {
    return { kind: "error_page", error: new InvalidRequest("this application asks you to sign in again") };
  }
  await deps.store.recordInteractionLogin(interactionId, session);
  return resumeAuthorization(interactionId, session, deps);
}

/** OpenID Connect Core §3.1.2.1: prompt=login, or a session older than max_age. */
export function needsFreshSignIn(request: AuthorizationRequest, session: BrowserSession, now: Date): boolean {
  const tooOld = request.maxAge !== undefined && now.getTime() - session.authTime.getTime() > request.maxAge * 1000;
  return request.prompt.includes("login") || tooOld;
}

export async function submitConsent(
  interactionId: string,
  session: BrowserSession | null,
  decision: "allow" | "deny",
  deps: AuthorizeDeps,
): Promise<AuthorizeOutcome> {
  const found = await loadInteraction(interactionId, session, deps);
  if ("kind" in found) return found;
  const { interaction, client } = found;
  const { request } = interaction;
  // An account that must verify its email address first cannot allow anything: the consent page
  // shows why (and offers a new link) instead of the request.
  if (decision === "allow" && (await deps.store.mustVerifyEmail(session!.userId))) {
    return { kind: "interaction", interactionId: interaction.id, step: "consent" };
  }
  if (decision === "deny") {
    if (!(await deps.store.completeInteraction(interaction.id, deps.runtime.now()))) return expiredPage();
    const denied = new AccessDenied("the user denied the request");
    return { kind: "redirect", location: errorRedirect(request.redirectUri, denied, request.state, deps.config.issuer) };
  }
  await deps.store.recordInteractionConsent(interaction.id, {
    userId: session!.userId,
    clientRef: client.ref,
    scopes: request.scopes,
    now: deps.runtime.now(),
  });
  return proceed(request, client, session, { ...interaction, consentedAt: deps.runtime.now() }, deps);
}

/** What the login and consent pages show. Null when the interaction cannot continue. */
export async function describeInteraction(
  interactionId: string,
  session: BrowserSession | null,
  deps: AuthorizeDeps,
  step: InteractionStep,
): Promise<{ interaction: StoredInteraction; client: Client } | null> {
  const interaction = await deps.store.findInteraction(interactionId);
  if (!interaction || isOver(interaction, deps)) return null;
  if (step !== "login" && (!session || interaction.sessionId !== session.id)) return null;
  const client = await deps.store.findClientByRef(interaction.clientRef);
  return client && !client.disabled ? { interaction, client } : null;
}

async function loadInteraction(
  interactionId: string,
  session: BrowserSession | null,
  deps: AuthorizeDeps,
): Promise<{ interaction: StoredInteraction; client: Client } | AuthorizeOutcome> {
  const interaction = await deps.store.findInteraction(interactionId);
  if (!interaction || isOver(interaction, deps)) return expiredPage();
  // An interaction continues only in the browser session that signed in for it.
  if (interaction.sessionId === null || interaction.sessionId !== session?.id) {
    return { kind: "error_page", error: new InvalidRequest("this sign-in request belongs to another browser session") };
  }
  const client = await deps.store.findClientByRef(interaction.clientRef);
  if (!client || client.disabled) return { kind: "error_page", error: new InvalidRequest("unknown client_id") };
  return { interaction, client };
}

async function proceed(
  request: AuthorizationRequest,
  client: Client,
  session: BrowserSession | null,
  interaction: StoredInteraction | undefined,
  deps: AuthorizeDeps,
): Promise<AuthorizeOutcome> {
  const now = deps.runtime.now();
  const fail = (error: OAuthError): AuthorizeOutcome => ({
    kind: "redirect",
    location: errorRedirect(request.redirectUri, error, request.state, deps.config.issuer),
  });
  const none = request.prompt.includes("none");

  // OpenID Connect Core §3.1.2.1: prompt=login and max_age demand a sign-in fresh for this request.
  const signedInHere =
    interaction?.authTime !== undefined && interaction.authTime !== null && session !== null && interaction.sessionId === session.id;
  const tooOld = session !== null && request.maxAge !== undefined && now.getTime() - session.authTime.getTime() > request.maxAge * 1000;
  const forcedLogin = request.prompt.includes("login") || request.prompt.includes("select_account") || tooOld;
  if (!session || (forcedLogin && !signedInHere)) {
    if (none) return fail(new LoginRequired("the user must sign in"));
    return startStep("login", request, client, session, interaction, deps);
  }

  // Step-up (acr.ts): the application asked for, or requires, a second factor this session lacks.
  const amr = session.amr ?? PASSWORD_ONLY;
  const stepUp = await stepUpNeeded(request.acr, client.requireMfa, amr, () => deps.store.hasSecondFactor(session.userId));
  if (stepUp === "unmet") {
    // Core §5.5.1.1: an essential acr that cannot be met is a failed authentication.
    return fail(Object.assign(new AccessDenied("the requested authentication context is not supported"), { cause: "acr unmet" }));
  }
  if (stepUp === "second_factor") {
    if (none) return fail(new InteractionRequired("the user must sign in with a second factor"));
    return startStep("second_factor", request, client, session, interaction, deps);
  }

  // No code for an account whose email address is still unverified (self sign-up), not even for a
  // first-party application: the consent step says so.
  if (await deps.store.mustVerifyEmail(session.userId)) {
    if (none) return fail(new ConsentRequired("the user must verify their email address first"));
    return startStep("consent", request, client, session, interaction, deps);
  }

  if (!interaction?.consentedAt) {
    const covered = client.skipConsent || isSubset(request.scopes, await deps.store.findConsentedScopes(session.userId, client.ref));
    if (request.prompt.includes("consent") || !covered) {
      if (none) return fail(new ConsentRequired("the user must approve this request"));
      return startStep("consent", request, client, session, interaction, deps);
    }
  }

  if (interaction && !(await deps.store.completeInteraction(interaction.id, now))) return expiredPage();
  const code = deps.runtime.randomToken();
  await deps.store.createGrantWithCode({
    codeHash: hashToken(code),
    clientRef: client.ref,
    userId: session.userId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    authTime: session.authTime,
    amr,
    sessionId: session.id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.config.codeTtlSeconds * 1000),
  });
  return { kind: "redirect", location: codeRedirect(request.redirectUri, code, request.state, deps.config.issuer) };
}

async function startStep(
  step: InteractionStep,
  request: AuthorizationRequest,
  client: Client,
  session: BrowserSession | null,
  interaction: StoredInteraction | undefined,
  deps: AuthorizeDeps,
): Promise<AuthorizeOutcome> {
  if (interaction) return { kind: "interaction", interactionId: interaction.id, step };
  const id = deps.runtime.randomToken();
  await deps.store.createInteraction({
    id,
    clientRef: client.ref,
    request,
    sessionId: session?.id ?? null,
    expiresAt: new Date(deps.runtime.now().getTime() + deps.config.interactionTtlSeconds * 1000),
  });
  return { kind: "interaction", interactionId: id, step };
}

function isOver(interaction: StoredInteraction, deps: AuthorizeDeps): boolean {
  return interaction.completedAt !== null || interaction.expiresAt.getTime() <= deps.runtime.now().getTime();
}

function expiredPage(): AuthorizeOutcome {
  return {
    kind: "error_page",
    error: new InvalidRequest("this sign-in request has expired or was already used; start again from the application"),
  };
}
