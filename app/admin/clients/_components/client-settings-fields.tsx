"use client";

// Every setting of an application, for the create and the edit form. Field names are the service's
// (lib/services/client-input.ts), so each error it reports lands next to its own field.
import { KEY_ALGORITHMS } from "@/lib/oauth/keys/algorithms";
import type { FieldErrors } from "@/lib/services/errors";
import { describedBy, Field, FieldError, inputClass } from "./form-bits";

const SCOPES = [
  ["openid", "openid: sign the user in (ID token)"],
  ["profile", "profile: name"],
  ["email", "email: email address"],
  ["offline_access", "offline_access: refresh tokens"],
] as const;

const AUTH_METHODS = [
  ["client_secret_basic", "client_secret_basic (confidential)"],
  ["client_secret_post", "client_secret_post (confidential)"],
  ["none", "none (public)"],
] as const;

interface Props {
  readonly values: Readonly<Record<string, string>>;
  readonly errors: FieldErrors;
  /** On edit: the registered kind, which the form cannot change. */
  readonly registeredType?: "public" | "confidential";
}

export function ClientSettingsFields({ values, errors, registeredType }: Props) {
  const text = (name: string, label: string, hint?: string, type: "text" | "url" | "number" = "text") => (
    <Field id={name} label={label} hint={hint} errors={errors[name]}>
      <input
        id={name}
        name={name}
        type={type}
        defaultValue={values[name] ?? ""}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy(name, Boolean(hint), errors[name])}
        className={inputClass}
        {...(type === "number" ? { inputMode: "numeric" as const, step: 1 } : {})}
      />
    </Field>
  );
  const area = (name: string, label: string, hint: string) => (
    <Field id={name} label={label} hint={hint} errors={errors[name]}>
      <textarea
        id={name}
        name={name}
        rows={3}
        defaultValue={values[name] ?? ""}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy(name, true, errors[name])}
        className={`${inputClass} font-mono text-sm`}
      />
    </Field>
  );
  const methods = AUTH_METHODS.filter(([method]) =>
    registeredType === undefined ? true : registeredType === "public" ? method === "none" : method !== "none",
  );
  const methodHint =
    registeredType === undefined
      ? "Confidential: a server-side app with a secret (basic: in the Authorization header; post: in the body). Public: a single-page or native app, PKCE only. This is decided once."
      : registeredType === "public"
        ? "A public application stays public: register a new application for a confidential one."
        : "A confidential application can switch only between basic and post; its secrets keep working.";
  const chosenScopes = (values.scopes ?? "openid profile email offline_access").split(" ");
  const scopeErrors = errors.scopes;

  return (
    <div className="space-y-6">
      {text("name", "Name", "Shown to people on the sign-in and consent screens.")}
      <Field id="tokenEndpointAuthMethod" label="Client authentication" hint={methodHint} errors={errors.tokenEndpointAuthMethod}>
        <select
          id="tokenEndpointAuthMethod"
          name="tokenEndpointAuthMethod"
          defaultValue={values.tokenEndpointAuthMethod ?? methods[0]![0]}
          aria-invalid={errors.tokenEndpointAuthMethod ? true : undefined}
          aria-describedby={describedBy("tokenEndpointAuthMethod", true, errors.tokenEndpointAuthMethod)}
          className={inputClass}
        >
          {methods.map(([method, label]) => (
            <option key={method} value={method}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id="applicationType"
        label="Application type"
        hint="Native apps may use private-use schemes (com.example.app:/cb) and loopback redirects."
        errors={errors.applicationType}
      >
        <select
          id="applicationType"
          name="applicationType"
          defaultValue={values.applicationType ?? "web"}
          aria-invalid={errors.applicationType ? true : undefined}
          aria-describedby={describedBy("applicationType", true, errors.applicationType)}
          className={inputClass}
        >
          <option value="web">web</option>
          <option value="native">native</option>
        </select>
      </Field>
      {area("redirectUris", "Redirect URIs", "One per line, exact strings: https, or http only on 127.0.0.1, [::1] or localhost.")}
      {area(
        "postLogoutRedirectUris",
        "Post-logout redirect URIs (optional)",
        "One per line; where the application may send people after signing out.",
      )}
      <fieldset className="space-y-2" aria-describedby={scopeErrors ? "scopes-error" : undefined}>
        <legend className="text-sm font-semibold text-slate-800">Allowed scopes</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {SCOPES.map(([scope, label]) => (
            <label key={scope} className="flex items-center gap-2 text-slate-800">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={chosenScopes.includes(scope)} className="size-4" />
              {label}
            </label>
          ))}
        </div>
        <FieldError id="scopes" errors={scopeErrors} />
      </fieldset>
      <div className="grid gap-6 sm:grid-cols-2">
        {text("logoUri", "Logo URL (optional)", undefined, "url")}
        {text("clientUri", "Home page URL (optional)", undefined, "url")}
        {text("policyUri", "Privacy policy URL (optional)", undefined, "url")}
        {text("tosUri", "Terms of service URL (optional)", undefined, "url")}
      </div>
      <div className="grid gap-6 sm:grid-cols-3">
        {text("accessTokenTtlSeconds", "Access token lifetime (s)", "60 to 86400; empty: default.", "number")}
        {text("idTokenTtlSeconds", "ID token lifetime (s)", "60 to 86400; empty: default.", "number")}
        {text("refreshTokenTtlSeconds", "Refresh token lifetime (s)", "3600 to 31536000; empty: default.", "number")}
      </div>
      <Field id="idTokenSignedResponseAlg" label="ID token signing algorithm" errors={errors.idTokenSignedResponseAlg}>
        <select
          id="idTokenSignedResponseAlg"
          name="idTokenSignedResponseAlg"
          defaultValue={values.idTokenSignedResponseAlg ?? "RS256"}
          aria-invalid={errors.idTokenSignedResponseAlg ? true : undefined}
          aria-describedby={describedBy("idTokenSignedResponseAlg", false, errors.idTokenSignedResponseAlg)}
          className={inputClass}
        >
          {KEY_ALGORITHMS.map((alg) => (
            <option key={alg} value={alg}>
              {alg}
            </option>
          ))}
        </select>
      </Field>
      <div className="space-y-1">
        <label className="flex items-start gap-2 text-slate-800">
          <input
            type="checkbox"
            name="skipConsent"
            defaultChecked={values.skipConsent === "on"}
            className="mt-1 size-4"
            aria-describedby="skipConsent-hint"
          />
          <span className="font-semibold">Skip the consent screen</span>
        </label>
        <p id="skipConsent-hint" className="pl-6 text-sm text-slate-700">
          Only for your own (first-party) applications: people are not asked to allow access.
        </p>
        <FieldError id="skipConsent" errors={errors.skipConsent} />
      </div>
      <div className="space-y-1">
        <label className="flex items-start gap-2 text-slate-800">
          <input
            type="checkbox"
            name="requireMfa"
            defaultChecked={values.requireMfa === "on"}
            className="mt-1 size-4"
            aria-describedby="requireMfa-hint"
          />
          <span className="font-semibold">Require two-step sign-in</span>
        </label>
        <p id="requireMfa-hint" className="pl-6 text-sm text-slate-700">
          People must have signed in with a second factor before this application gets access; those without one set it up first.
        </p>
        <FieldError id="requireMfa" errors={errors.requireMfa} />
      </div>
    </div>
  );
}
