// The page shown when an authorization request cannot be sent back to the application (unknown
// client, unregistered redirect URI, expired interaction): a 4xx HTML page, never a redirect
// (RFC 6749 §4.1.2.1).
import type { OAuthError } from "../oauth/errors.ts";

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function errorPageResponse(error: OAuthError, status = error.status >= 500 ? 400 : error.status): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cannot continue · Identity Portal</title>
<style>
body{margin:0;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f8fafc;color:#0f172a}
main{max-width:34rem;margin:0 auto;padding:4rem 1.5rem}
h1{font-size:1.5rem;margin:0 0 1rem}p{line-height:1.6;color:#334155}
code{background:#e2e8f0;border-radius:.25rem;padding:.1rem .35rem;font-size:.875rem}
a{color:#3730a3;font-weight:600}
</style></head>
<body><main>
<h1>This sign-in request cannot continue</h1>
<p>${escape(capitalize(error.description))}.</p>
<p>Go back to the application and try again. If this keeps happening, tell the application's
developers: the request was refused with <code>${escape(error.error)}</code>.</p>
<p><a href="/">Identity Portal home</a></p>
</main></body></html>`;
  return new Response(html, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
