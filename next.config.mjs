// Security headers for every document. Pages render no third-party content; the portal is never
// framed (clickjacking on consent screens), never leaks URLs (which may carry codes) as Referer.
// The Content-Security-Policy is set per response, with a nonce, by proxy.ts (lib/http/csp.ts),
// and by the route handlers that write HTML themselves (lib/http/error-page.ts). What neither
// covers is Next.js's 404 page under the protocol's prefixes (/oauth/nope): it gets a policy
// without scripts (its markup and links work without them).
const noScriptPolicy = [
  "default-src 'self'",
  "script-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets a test run build and serve without disturbing another one.
  // (next build then adds that folder's types to tsconfig.json: do not commit that line.)
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // The common-password dictionary (lib/auth/password-policy.ts) is required from node_modules,
  // once per process, instead of copied into every server bundle that checks a password.
  serverExternalPackages: ["@zxcvbn-ts/language-common"],
  // forbidden() answers 403 with app/forbidden.tsx (the admin console's guard, lib/server/admin.ts).
  // Route modules load on their first request, not all at start (the Next.js memory-usage guide):
  // the admin console and the rarer screens cost a server that never serves them nothing.
  experimental: { authInterrupts: true, preloadEntriesOnStart: false },
  reactStrictMode: true,
  async headers() {
    return [
      {
        // Screens, the authorization and end-session endpoints (HTML pages and redirects) and
        // static files. Not the JSON endpoints: they set X-Content-Type-Options themselves
        // (lib/http/responses.ts), the rest concerns documents only, and matching this rule
        // costs every request (≈ 6% of a discovery request, bench/README.md).
        source: "/((?!oauth/(?:token|introspect|revoke|userinfo|jwks|register)|\\.well-known/|api/).*)",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Content-Type-Options", value: "nosniff" },
        ],
      },
      {
        // Under the protocol's prefixes, whatever is not one of its route handlers: a 404 page.
        source:
          "/((?:oauth|api|\\.well-known)/(?!(?:token|introspect|revoke|userinfo|jwks|register|authorize|end-session|health|openid-configuration|oauth-authorization-server)(?:/|$)).*)",
        headers: [{ key: "Content-Security-Policy", value: noScriptPolicy }],
      },
    ];
  },
};

export default nextConfig;
