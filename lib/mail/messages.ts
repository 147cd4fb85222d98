// The messages the portal sends, in plain words. Each link is the only secret in its message.
import type { MailMessage } from "./send.ts";

export function passwordResetMessage(to: string, link: string, minutes: number): MailMessage {
  return {
    to,
    subject: "Reset your Identity Portal password",
    text: [
      "Someone (we hope you) asked to reset the password of your Identity Portal account.",
      "",
      "Choose a new password here:",
      link,
      "",
      `The link works once, for ${minutes} minutes. Signing in with your current password, or asking`,
      "for another link, ends it. Setting a new password signs you out everywhere, and every",
      "application you use will ask you to sign in again.",
      "",
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ].join("\n"),
  };
}

export function emailVerificationMessage(to: string, link: string, hours: number): MailMessage {
  return {
    to,
    subject: "Confirm your email address for Identity Portal",
    text: [
      "Confirm that this address belongs to your Identity Portal account:",
      link,
      "",
      `The link works once, for ${hours} hours. If you did not create an account or ask for this,`,
      "ignore this message.",
    ].join("\n"),
  };
}

/** A sign-up with an address that has an account: the page said the same as for a new one. */
export function accountExistsMessage(to: string, signInUrl: string, forgotUrl: string): MailMessage {
  return {
    to,
    subject: "You already have an Identity Portal account",
    text: [
      "Someone (we hope you) tried to create an Identity Portal account with this address, but you",
      "already have one, so nothing was changed.",
      "",
      "Sign in here:",
      signInUrl,
      "",
      "Forgot your password? Ask for a reset link here:",
      forgotUrl,
      "",
      "If you did not try to sign up, ignore this message.",
    ].join("\n"),
  };
}
