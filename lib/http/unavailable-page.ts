// The page a browser gets when the portal cannot serve it right now: the database is unreachable
// or the server is at its limit. 503 with Retry-After (RFC 9110 §15.6.4, §10.2.3), so a person
// reads "try again shortly" and a crawler or proxy knows it is a passing condition.
export const UNAVAILABLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Try again shortly · Identity Portal</title>
<style>
body{margin:0;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f8fafc;color:#0f172a}
main{max-width:34rem;margin:0 auto;padding:4rem 1.5rem}
h1{font-size:1.5rem;margin:0 0 1rem}p{line-height:1.6;color:#334155}
@media (prefers-color-scheme: dark){body{background:#0f172a;color:#f1f5f9}p{color:#cbd5e1}}
</style></head>
<body><main>
<h1>Try again shortly</h1>
<p>The sign-in service is busy or briefly unavailable. Nothing you did caused this, and nothing
was lost: wait a few seconds, then reload the page.</p>
</main></body></html>
`;

export function unavailablePageResponse(retryAfterSeconds: number): Response {
  return new Response(UNAVAILABLE_PAGE, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Retry-After": String(retryAfterSeconds),
      "X-Content-Type-Options": "nosniff",
    },
  });
}
