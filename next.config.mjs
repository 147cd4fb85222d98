// Security headers for every document. Pages render no third-party content; the portal is never
// framed (clickjacking on consent screens), never leaks URLs (which may carry codes) as Referer.
const contentSecurityPolicy = [
  "default-src 'self'",
  // Next.js injects inline bootstrap scripts; nonces come with the interactive screens.
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
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
  experimental: { authInterrupts: true },
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
          { key: "Content-Security-Policy", value: contentSecurityPolicy },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Content-Type-Options", value: "nosniff" },
        ],
      },
    ];
  },
};

export default nextConfig;
