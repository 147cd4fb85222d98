// What a person is told when the browser's own part of a passkey ceremony fails (the errors of
// navigator.credentials, as @simplewebauthn/browser passes them on). Never the raw message.
export function passkeyBrowserError(error: unknown, ceremony: "register" | "authenticate"): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "AbortError") return "";
  if (name === "NotAllowedError") {
    return ceremony === "register"
      ? "No passkey was added: the request was cancelled or timed out."
      : "No passkey was used: the request was cancelled or timed out.";
  }
  if (name === "InvalidStateError" && ceremony === "register") return "This device already has a passkey for your account.";
  if (name === "SecurityError") return "Passkeys cannot be used on this address of the portal.";
  if (name === "NotSupportedError") return "This browser or device cannot make a passkey.";
  return "The passkey request did not work: try again.";
}
