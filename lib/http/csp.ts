// Content Security Policy (CSP Level 3, W3C) of every document the portal serves.
//
// Screens (Next.js pages) get a fresh nonce per request from proxy.ts: Next.js reads it from the
// request's Content-Security-Policy header and puts it on every script it renders, and
// 'strict-dynamic' lets those scripts load the chunks they need. No 'unsafe-inline' for scripts:
// markup injected into a page cannot run. The documents written by route handlers (the
// authorization and end-session error pages) have no script at all and get `pageWithoutScripts`.
//
// Style sheets need the nonce too (Next.js puts it on its <link> and <style> tags), so injected
// markup cannot bring CSS of its own (attribute selectors can read a page's values out). Style
// attributes stay allowed (style-src-attr 'unsafe-inline'): React renders them (the admin
// console's chart legends), a nonce cannot cover an attribute, and an attribute has no selectors.
//
// img-src allows https: an application's logo on the consent screen (logo_uri, https only) and
// PORTAL_LOGO_URL come from anywhere on the web; data: for the favicon and inline SVG.
//
// No form-action: the consent and sign-in forms post to the portal, which answers with a redirect
// to the application's redirect URI on another origin. Chromium checks form-action against every
// redirect of a form submission, so `form-action 'self'` blocks exactly that redirect whenever the
// form is submitted natively (before the page's scripts have loaded, or with scripts off), and the
// allowed origins cannot be listed before the page knows the request. base-uri 'none' and the
// nonce keep the forms' targets ours; every post is checked for its origin (proxy.ts).
import { getConfig } from "../env.ts";

/** 128 random bits, base64: the nonce of one response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

const upgrade = () => (getConfig().issuer.startsWith("https:") ? ["upgrade-insecure-requests"] : []);

/**
 * The policy of a Next.js page rendered with this nonce. The development server (`npm run dev`)
 * needs eval for React's error stacks and injects styles without a nonce; production never does.
 */
export function pagePolicy(nonce: string, development = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    ...upgrade(),
  ].join("; ");
}

/**
 * A document with no script, whose only stylesheet is the inline one with this hash or nonce
 * source expression (`'sha256-…'`). Nothing else loads but images.
 */
export function pageWithoutScriptsPolicy(styleSource: string): string {
  return [
    "default-src 'none'",
    `style-src ${styleSource}`,
    "img-src 'self' data: https:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    ...upgrade(),
  ].join("; ");
}

/** A response without a body to render (a redirect of the authorization or end-session endpoint). */
export const NOTHING_TO_RENDER_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
