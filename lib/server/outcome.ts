// Server actions finish an authorization step by navigating; an error page outcome becomes a
// message on the form instead, since an action cannot answer with a status page.
import "server-only";
import { redirect } from "next/navigation";
import { interactionPath } from "../http/authorize-response.ts";
import type { AuthorizeOutcome } from "../oauth/authorize/handle-authorize.ts";

export function followOutcome(outcome: AuthorizeOutcome): { error: string } {
  if (outcome.kind === "redirect") redirect(outcome.location);
  if (outcome.kind === "interaction") redirect(interactionPath(outcome.step, outcome.interactionId));
  const text = outcome.error.description;
  return { error: `${text.charAt(0).toUpperCase()}${text.slice(1)}.` };
}
