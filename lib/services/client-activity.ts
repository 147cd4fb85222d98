// One sentence per audit event about a client, for its page in the console: the private reason
// the protocol core recorded (lib/oauth/events.ts), which the client itself never saw, or the
// change an admin made.
type Detail = Readonly<Record<string, unknown>>;

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

export function describeActivity(type: string, detail: Detail): string {
  const reason = str(detail.reason);
  switch (type) {
    case "authorize.refused": {
      const sent = str(detail.redirectUri);
      if (sent !== undefined) {
        const registered = strings(detail.registeredRedirectUris);
        return `redirect_uri ${sent} sent, registered: ${registered.length ? registered.join(", ") : "none"}`;
      }
      return `${str(detail.error) ?? "refused"}: ${reason ?? "no reason recorded"}`;
    }
    case "client_auth.failed": {
      const where = str(detail.endpoint) ? ` at the ${str(detail.endpoint)} endpoint` : "";
      return `${reason ?? "client authentication failed"}${where}`;
    }
    case "token.refused":
      return `${str(detail.grantType) ?? "token request"}: ${str(detail.error) ?? "refused"} (${reason ?? "no reason recorded"})`;
    case "token.issued":
      return `${str(detail.grantType) ?? "token"} for scope ${str(detail.scope) ?? "?"}`;
    case "code.replayed":
    case "refresh_token.reused":
      return `${reason ?? type}; the grant was revoked`;
    case "refresh_token.retried":
      return "A refresh was retried within the grace period (a lost response): new tokens issued, the grant kept";
    case "client.created":
    case "client.updated":
      return `${type === "client.created" ? "Registered" : "Settings saved"}: ${str(detail.name) ?? ""} (${str(detail.authMethod) ?? "?"}), redirect URIs ${strings(detail.redirectUris).join(", ") || "none"}`;
    case "client.secret_rotated": {
      const hours = typeof detail.overlapHours === "number" ? detail.overlapHours : 0;
      return hours === 0
        ? "New secret issued; the previous ones stopped at once"
        : `New secret issued; the previous ones work until ${str(detail.oldExpireAt)?.slice(0, 16).replace("T", " ") ?? "?"} UTC`;
    }
    case "client.secret_revoked":
      return `Secret ${str(detail.credentialId)?.slice(0, 8) ?? "?"}… revoked`;
    case "client.disabled":
      return "Disabled: its requests are refused and its tokens stopped working";
    case "client.enabled":
      return "Enabled again";
    case "client.registered":
    case "client.registration_updated":
    case "client.registration_deleted":
      return `Dynamic registration (RFC 7591/7592): ${str(detail.name) ?? ""}`;
    default:
      return reason ?? "";
  }
}
