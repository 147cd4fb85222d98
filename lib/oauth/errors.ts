// OAuth 2.0 / OpenID Connect errors. Each class is an RFC error code and owns its HTTP status.
// `description` is public (error_description); it says what is wrong with the request in general
// terms and never echoes secrets.

export type OAuthErrorCode =
  // RFC 6749 §4.1.2.1 and §5.2
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "access_denied"
  | "unsupported_response_type"
  | "server_error"
  | "temporarily_unavailable"
  // OpenID Connect Core §3.1.2.6
  | "login_required"
  | "consent_required"
  | "interaction_required"
  | "request_not_supported"
  | "request_uri_not_supported"
  | "registration_not_supported"
  // RFC 6750 §3.1
  | "invalid_token"
  | "insufficient_scope"
  // RFC 7009 §2.2.1
  | "unsupported_token_type"
  // RFC 7591 §3.2.2
  | "invalid_redirect_uri"
  | "invalid_client_metadata";

export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: number = 400,
  ) {
    super(`${error}: ${description}`);
  }
}

export class InvalidRequest extends OAuthError {
  constructor(description: string) {
    super("invalid_request", description);
  }
}

/** RFC 6749 §5.2: 401 when the client tried to authenticate. */
export class InvalidClient extends OAuthError {
  constructor(description: string) {
    super("invalid_client", description, 401);
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super("invalid_grant", description);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super("unauthorized_client", description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description: string) {
    super("unsupported_grant_type", description);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super("invalid_scope", description);
  }
}

export class AccessDenied extends OAuthError {
  constructor(description: string) {
    super("access_denied", description);
  }
}

export class UnsupportedResponseType extends OAuthError {
  constructor(description: string) {
    super("unsupported_response_type", description);
  }
}

export class ServerError extends OAuthError {
  constructor(description: string) {
    super("server_error", description, 500);
  }
}

export class TemporarilyUnavailable extends OAuthError {
  constructor(description: string) {
    super("temporarily_unavailable", description, 503);
  }
}

export class LoginRequired extends OAuthError {
  constructor(description: string) {
    super("login_required", description);
  }
}

export class ConsentRequired extends OAuthError {
  constructor(description: string) {
    super("consent_required", description);
  }
}

export class InteractionRequired extends OAuthError {
  constructor(description: string) {
    super("interaction_required", description);
  }
}

export class RequestNotSupported extends OAuthError {
  constructor(description: string) {
    super("request_not_supported", description);
  }
}

export class RequestUriNotSupported extends OAuthError {
  constructor(description: string) {
    super("request_uri_not_supported", description);
  }
}

/** RFC 6750 §3.1. */
export class InvalidToken extends OAuthError {
  constructor(description: string) {
    super("invalid_token", description, 401);
  }
}

/** RFC 6750 §3.1: the token is good but does not carry the scope the resource needs. */
export class InsufficientScope extends OAuthError {
  constructor(description: string) {
    super("insufficient_scope", description, 403);
  }
}

export class UnsupportedTokenType extends OAuthError {
  constructor(description: string) {
    super("unsupported_token_type", description);
  }
}

export class InvalidRedirectUri extends OAuthError {
  constructor(description: string) {
    super("invalid_redirect_uri", description);
  }
}

export class InvalidClientMetadata extends OAuthError {
  constructor(description: string) {
    super("invalid_client_metadata", description);
  }
}

/** The wire form of an error (RFC 6749 §5.2). */
export function errorBody(error: OAuthError): { error: OAuthErrorCode; error_description: string } {
  return { error: error.error, error_description: error.description };
}
