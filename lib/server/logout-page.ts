import { getConfig } from "../env.ts";
import type { LogoutRequest } from "../oauth/logout/handle-end-session.ts";

/** The logout page, carrying a validated request to confirm, or saying the user is signed out. */
export function logoutPageUrl(request: LogoutRequest | { done: true }): string {
  const query = new URLSearchParams();
  if ("done" in request) query.set("done", "1");
  else {
    if (request.clientId) query.set("client_id", request.clientId);
    if (request.postLogoutRedirectUri) query.set("post_logout_redirect_uri", request.postLogoutRedirectUri);
    if (request.state !== undefined) query.set("state", request.state);
  }
  const search = query.toString();
  return `${getConfig().issuer}/logout${search ? `?${search}` : ""}`;
}
