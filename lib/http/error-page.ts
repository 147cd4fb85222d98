// The page shown when an authorization or end-session request cannot be sent back to the
// application (unknown client, unregistered redirect URI, expired interaction): a 4xx HTML page,
// never a redirect (RFC 6749 §4.1.2.1). It says in plain words what happened and what to do, and
// below that, for the application's developer, the precise cause: the error code, the client_id
// and the redirect_uri as they were received. Nothing else about the client is shown (not its
// registered URIs: whoever crafts the link would read them), and nothing secret is ever in it.
//
// Written here rather than by React, so it looks like the portal's screens by hand: the same
// colours (light and dark, following the system setting), the portal's name and logo. It runs no
// script, and its policy allows only its own stylesheet, by hash (lib/http/csp.ts).
import { createHash } from "node:crypto";
import { getConfig } from "../env.ts";
import type { OAuthError } from "../oauth/errors.ts";
import { pageWithoutScriptsPolicy } from "./csp.ts";

/** What the developer of the application needs to fix the request; only values it sent. */
export interface ErrorPageDetails {
  readonly clientId?: string | null;
  readonly redirectUri?: string;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `
:root{color-scheme:light dark}
body{margin:0;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;background:#f8fafc;color:#0f172a;-webkit-font-smoothing:antialiased}
main{box-sizing:border-box;display:flex;min-height:100vh;max-width:36rem;margin:0 auto;padding:3rem 1.25rem;flex-direction:column;justify-content:center;gap:1.5rem}
.brand{display:flex;align-items:center;gap:.75rem;font-weight:700;font-size:1.125rem;color:#0f172a;text-decoration:none}
.brand img{height:2rem;width:auto;max-width:8rem}
.card{border:1px solid #e2e8f0;border-radius:.75rem;background:#fff;padding:1.5rem;box-shadow:0 1px 2px rgb(0 0 0/.05)}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 .75rem;letter-spacing:-.01em}
h2{font-size:1rem;margin:0 0 .5rem}
p{line-height:1.6;margin:0 0 .75rem;color:#334155}
section{margin-top:1.25rem;border-top:1px solid #e2e8f0;padding-top:1rem}
dl{display:grid;grid-template-columns:1fr;gap:.25rem;margin:.75rem 0 0;font-size:.875rem}
dt{color:#334155;margin-top:.5rem}dd{margin:0;min-width:0}
code{display:block;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;line-height:1.6;overflow-wrap:anywhere;background:#f1f5f9;border-radius:.25rem;padding:.25rem .5rem}
a{color:#3730a3;font-weight:600}
:focus-visible{outline:2px solid #4338ca;outline-offset:2px}
@media (min-width:40rem){.card{padding:2rem}dl{grid-template-columns:max-content 1fr;column-gap:1rem}dt{margin-top:.25rem}}
@media (prefers-color-scheme:dark){
body{background:#020617;color:#f1f5f9}
.brand{color:#f1f5f9}
.card{background:#0f172a;border-color:#334155}
p,dt{color:#cbd5e1}section{border-color:#334155}
code{background:#1e293b}
a{color:#a5b4fc}:focus-visible{outline-color:#a5b4fc}
}`;

const POLICY = pageWithoutScriptsPolicy(`'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`);

/** The headline in plain words, from the core's description of what went wrong. */
function plainWords(error: OAuthError): { title: string; advice: string } {
  const back = "You have not signed in to it. Go back to the application and try again; if it happens again, let its developers know.";
  const d = error.description;
  if (/redirect_uri is not registered/.test(d)) {
    return { title: "This application sent you here with an address it has not registered", advice: back };
  }
  if (/redirect_uri is missing/.test(d)) {
    return { title: "This application did not say where to send you back", advice: back };
  }
  if (/unknown client_id|client_id is missing/.test(d)) return { title: "This application is not known to this portal", advice: back };
  if (/expired or was already used/.test(d)) {
    return { title: "This sign-in request has expired or was already used", advice: "Go back to the application and start again." };
  }
  if (/another browser session/.test(d)) {
    return {
      title: "This sign-in request was started in another browser session",
      advice: "Go back to the application in this browser and start again.",
    };
  }
  return {
    title: "This request cannot continue",
    advice: "Go back to the application and try again; if it happens again, let its developers know.",
  };
}

export function errorPageResponse(
  error: OAuthError,
  status = error.status >= 500 ? 400 : error.status,
  details: ErrorPageDetails = {},
): Response {
  const { portalName, portalLogoUrl } = getConfig();
  const { title, advice } = plainWords(error);
  const rows: [string, string][] = [["Error", `${error.error}: ${error.description}`]];
  if (details.clientId) rows.push(["client_id", details.clientId]);
  if (details.redirectUri !== undefined) rows.push(["redirect_uri received", details.redirectUri]);
  const logo = portalLogoUrl ? `<img src="${escape(portalLogoUrl)}" alt="" height="32">` : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Cannot continue · ${escape(portalName)}</title>
<style>${STYLE}</style></head>
<body><main>
<a class="brand" href="/">${logo}<span>${escape(portalName)}</span></a>
<div class="card">
<h1>${escape(title)}</h1>
<p>${escape(advice)}</p>
<section aria-labelledby="developer">
<h2 id="developer">For the application's developer</h2>
<dl>
${rows.map(([term, value]) => `<dt>${escape(term)}</dt><dd><code>${escape(value.slice(0, 500))}</code></dd>`).join("\n")}
</dl>
</section>
</div>
</main></body></html>`;
  return new Response(html, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": POLICY },
  });
}
