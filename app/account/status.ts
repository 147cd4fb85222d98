// What the account page may say after a change: a fixed set of texts chosen by the server. The
// address carries only a key (?status=password-changed); an unknown key shows nothing, so a link
// cannot put words of its own into the portal's trusted banner.
const STATUS_MESSAGES = {
  "name-saved": "Your name is saved. Applications see it the next time they ask.",
  "password-changed": "Your password is changed. You are still signed in here, and signed out everywhere else.",
  "session-ended": "That browser is signed out.",
  "sessions-ended": "You are signed out everywhere else.",
  withdrawn: "Access withdrawn: that application can no longer use your account.",
  "authenticator-removed":
    "Your authenticator app is removed, and your recovery codes with it. Signing in asks only for your password now.",
  "passkey-added": "Your passkey is added. You can sign in with it instead of your password.",
  "passkey-renamed": "Your passkey is renamed.",
  "passkey-removed": "That passkey is removed: it no longer signs you in.",
} as const;

export type AccountStatus = keyof typeof STATUS_MESSAGES;

/** The text for a key from the address, or null for anything else (absent, unknown, repeated). */
export function statusMessage(key: unknown): string | null {
  return typeof key === "string" && Object.hasOwn(STATUS_MESSAGES, key) ? STATUS_MESSAGES[key as AccountStatus] : null;
}

export function accountPath(status: AccountStatus): string {
  return `/account?status=${status}`;
}
