import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { describeScope } from "@/lib/scope-descriptions";
import { requireAdmin } from "@/lib/server/admin";
import { secondFactorStatus } from "@/lib/services/second-factor";
import { getUserDetail } from "@/lib/services/users";
import { formatDate } from "../_components/format";
import { ActionButton } from "./action-button";
import {
  resetPasswordAction,
  resetSecondFactorsAction,
  revokeGrantAction,
  revokeSessionAction,
  setDisabledAction,
  setRoleAction,
  setSecondFactorRequiredAction,
} from "./actions";

export const metadata: Metadata = { title: "User" };
export const dynamic = "force-dynamic";

/** What each kind of second factor is called on this page when it has no name of its own. */
const FACTOR_KINDS: Readonly<Record<string, string>> = { totp: "Authenticator app", passkey: "Passkey" };

const CARD = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6";

export default async function UserPage({ params }: { readonly params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  const admin = await requireAdmin(`/admin/users/${encodeURIComponent(userId)}`);
  const detail = userId.length <= 64 ? await getUserDetail(userId) : null;
  if (!detail) notFound();
  const { user, sessions, applications, secondFactorRequired } = detail;
  const twoStep = await secondFactorStatus(user.id);
  const self = user.id === admin.userId;
  const fields = { user_id: user.id };

  return (
    <main className="space-y-6">
      <div>
        <Link href="/admin/users" className="text-sm font-semibold text-brand-700 underline">
          Users
        </Link>
        <h1 className="mt-2 break-all text-2xl font-bold tracking-tight">{user.name || user.email}</h1>
        <p className="mt-1 flex flex-wrap gap-2 text-sm">
          <span className="rounded-full bg-slate-100 px-2.5 py-0.5 font-semibold text-slate-800">
            {user.role === "admin" ? "Admin" : "User"}
          </span>
          {user.disabled ? <span className="rounded-full bg-red-50 px-2.5 py-0.5 font-semibold text-red-800">Disabled</span> : null}
          {self ? <span className="rounded-full bg-slate-100 px-2.5 py-0.5 font-semibold text-slate-800">You</span> : null}
        </p>
      </div>

      <section aria-labelledby="profile" className={CARD}>
        <h2 id="profile" className="text-lg font-semibold">
          Profile
        </h2>
        <dl className="mt-4 grid gap-x-6 sm:grid-cols-[max-content_1fr] sm:gap-y-3 [&>dd]:mb-3 sm:[&>dd]:mb-0">
          <dt className="font-medium text-slate-700">Email</dt>
          <dd className="break-all text-slate-900">{user.email}</dd>
          <dt className="font-medium text-slate-700">Name</dt>
          <dd className="text-slate-900">{user.name || "—"}</dd>
          <dt className="font-medium text-slate-700">Status</dt>
          <dd className="text-slate-900">{user.disabled ? "Disabled: cannot sign in" : "Active"}</dd>
          <dt className="font-medium text-slate-700">Created</dt>
          <dd className="text-slate-900">{formatDate(user.createdAt)}</dd>
          <dt className="font-medium text-slate-700">Last sign-in</dt>
          <dd className="text-slate-900">{formatDate(user.lastLoginAt)}</dd>
          <dt className="font-medium text-slate-700">User id (sub)</dt>
          <dd className="break-all font-mono text-sm text-slate-900">{user.id}</dd>
        </dl>
      </section>

      <section aria-labelledby="manage" className={CARD}>
        <h2 id="manage" className="text-lg font-semibold">
          Manage
        </h2>
        <div className="mt-4 grid gap-6 md:grid-cols-3">
          <div>
            <p className="mb-3 text-sm text-slate-700">
              {user.disabled ? "Let this person sign in again." : "Sign them out everywhere and revoke every application's access."}
            </p>
            {self && !user.disabled ? (
              <p className="text-sm text-slate-700">You cannot disable your own account.</p>
            ) : (
              <ActionButton
                action={setDisabledAction}
                fields={{ ...fields, disabled: String(!user.disabled) }}
                label={user.disabled ? "Enable" : "Disable"}
                tone={user.disabled ? "neutral" : "danger"}
                {...(user.disabled ? {} : { confirm: `Disable ${user.email}? They are signed out and every application loses access.` })}
              />
            )}
          </div>
          <div>
            <p className="mb-3 text-sm text-slate-700">Give them a new generated password; their sessions end.</p>
            <ActionButton
              action={resetPasswordAction}
              fields={fields}
              label="Reset password"
              tone="danger"
              confirm={`Reset the password of ${user.email}?`}
            />
          </div>
          <div>
            <p className="mb-3 text-sm text-slate-700">
              {user.role === "admin" ? "Admins run the portal from this console." : "Let them run the portal from this console."}
            </p>
            <ActionButton
              action={setRoleAction}
              fields={{ ...fields, role: user.role === "admin" ? "user" : "admin" }}
              label={user.role === "admin" ? "Remove admin" : "Make admin"}
            />
          </div>
        </div>
      </section>

      <section aria-labelledby="two-step" className={CARD}>
        <h2 id="two-step" className="text-lg font-semibold">
          Two-step sign-in
        </h2>
        <dl className="mt-4 grid gap-x-6 sm:grid-cols-[max-content_1fr] sm:gap-y-3 [&>dd]:mb-3 sm:[&>dd]:mb-0">
          <dt className="font-medium text-slate-700">Second factors</dt>
          <dd className="text-slate-900">
            {twoStep.factors.length === 0
              ? "None"
              : twoStep.factors
                  .map((factor) => `${factor.name || FACTOR_KINDS[factor.kind] || factor.kind} (since ${formatDate(factor.confirmedAt)})`)
                  .join(", ")}
          </dd>
          <dt className="font-medium text-slate-700">Recovery codes left</dt>
          <dd className="text-slate-900">{twoStep.recoveryCodesLeft}</dd>
          <dt className="font-medium text-slate-700">Required</dt>
          <dd className="text-slate-900">
            {secondFactorRequired
              ? twoStep.factors.length === 0
                ? "Yes: they set up a second factor at their next sign-in"
                : "Yes"
              : "No"}
          </dd>
        </dl>
        <div className="mt-5 grid gap-6 md:grid-cols-2">
          <div>
            <p className="mb-3 text-sm text-slate-700">
              {secondFactorRequired
                ? "Let them sign in without a second factor (one they have is still asked for)."
                : "Make them use a second factor at every sign-in."}
            </p>
            <ActionButton
              action={setSecondFactorRequiredAction}
              fields={{ ...fields, required: String(!secondFactorRequired) }}
              label={secondFactorRequired ? "Stop requiring" : "Require two-step sign-in"}
            />
          </div>
          <div>
            <p className="mb-3 text-sm text-slate-700">
              For someone who lost their phone and recovery codes: removes their authenticator apps, passkeys and recovery codes.
            </p>
            <ActionButton
              action={resetSecondFactorsAction}
              fields={fields}
              label="Reset two-step sign-in"
              tone="danger"
              confirm={`Reset two-step sign-in for ${user.email}? Their second factors and recovery codes are removed.`}
            />
          </div>
        </div>
      </section>

      <section aria-labelledby="sessions" className={CARD}>
        <h2 id="sessions" className="text-lg font-semibold">
          Signed-in browsers
        </h2>
        {sessions.length === 0 ? (
          <p className="mt-3 text-slate-700">No active session.</p>
        ) : (
          <ul className="mt-4 divide-y divide-slate-200">
            {sessions.map((session) => (
              <li key={session.id} className="flex flex-col gap-3 py-4 sm:flex-row sm:items-start sm:justify-between">
                <div className="min-w-0 text-sm">
                  <p className="break-words font-medium text-slate-900">{session.userAgent ?? "Unknown browser"}</p>
                  <p className="text-slate-700">
                    Signed in {formatDate(session.createdAt)} · last seen {formatDate(session.lastSeenAt)}
                    {session.ipAddress ? ` · from ${session.ipAddress}` : ""}
                  </p>
                </div>
                <ActionButton
                  action={revokeSessionAction}
                  fields={{ ...fields, session_id: session.id }}
                  label="Revoke"
                  accessibleLabel={`Revoke the session signed in ${formatDate(session.createdAt)}`}
                  tone="danger"
                />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="applications" className={CARD}>
        <h2 id="applications" className="text-lg font-semibold">
          Applications with access
        </h2>
        {applications.length === 0 ? (
          <p className="mt-3 text-slate-700">No application has access to this account.</p>
        ) : (
          <ul className="mt-4 divide-y divide-slate-200">
            {applications.map((app) => (
              <li key={app.clientId} className="flex flex-col gap-3 py-4 sm:flex-row sm:items-start sm:justify-between">
                <div className="min-w-0 text-sm">
                  <h3 className="font-semibold text-slate-900">{app.clientName}</h3>
                  <p className="break-all font-mono text-xs text-slate-700">{app.clientId}</p>
                  <p className="mt-1 text-slate-700">
                    {app.consentedAt ? `Allowed ${formatDate(app.consentedAt)}` : "No consent on record (a first-party application)"}
                    {" · "}
                    {app.activeGrants === 0
                      ? "no active grant"
                      : `${app.activeGrants} active ${app.activeGrants === 1 ? "grant" : "grants"}, last ${formatDate(app.lastGrantAt)}`}
                  </p>
                  <ul className="mt-2 list-disc space-y-0.5 pl-5 text-slate-800">
                    {(app.consentScopes ?? app.grantScopes).map((scope) => (
                      <li key={scope}>{describeScope(scope)}</li>
                    ))}
                  </ul>
                </div>
                <ActionButton
                  action={revokeGrantAction}
                  fields={{ ...fields, client_id: app.clientId }}
                  label="Revoke access"
                  accessibleLabel={`Revoke access of ${app.clientName}`}
                  tone="danger"
                  confirm={`Revoke the access of ${app.clientName} to ${user.email}? Its tokens stop working now.`}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
