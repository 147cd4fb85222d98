// The password rule's numbers and its one-line summary, apart from the rule itself
// (password-policy.ts) so that a form in the browser can show them without loading the dictionary.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** The rule in one line, for the hint beside a new-password field. */
export const PASSWORD_HINT = `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, any you like; not a common password.`;
