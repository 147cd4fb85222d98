// Turns the core's authorization outcome into an HTTP response.
import type { AuthorizeOutcome, InteractionStep } from "../oauth/authorize/handle-authorize.ts";
import { NOTHING_TO_RENDER_POLICY } from "./csp.ts";
import { errorPageResponse } from "./error-page.ts";

/** Where the login, second-factor and consent pages live, relative to the issuer. */
const STEP_PATHS: Readonly<Record<InteractionStep, string>> = {
  login: "/login",
  second_factor: "/login/second-factor",
  consent: "/consent",
};

export function interactionPath(step: InteractionStep, interactionId: string): string {
  return `${STEP_PATHS[step]}?interaction=${encodeURIComponent(interactionId)}`;
}

export function authorizeResponse(outcome: AuthorizeOutcome, issuer: string): Response {
  switch (outcome.kind) {
    case "error_page":
      return errorPageResponse(outcome.error, undefined, outcome.details);
    case "redirect":
      return redirect(outcome.location);
    case "interaction":
      // Absolute URLs come from the configured issuer, never from the request's Host.
      return redirect(`${issuer}${interactionPath(outcome.step, outcome.interactionId)}`);
  }
}

/** A 303 from a browser-facing endpoint (authorization, end-session). */
export function redirect(location: string): Response {
  return new Response(null, {
    status: 303,
    headers: { Location: location, "Cache-Control": "no-store", "Content-Security-Policy": NOTHING_TO_RENDER_POLICY },
  });
}
