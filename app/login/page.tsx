import type { Metadata } from "next";
import Link from "next/link";
import { getConfig } from "@/lib/env";
import { describeInteraction, needsFreshSignIn } from "@/lib/oauth/authorize/handle-authorize";
import { safeReturnPath } from "@/lib/safe-return";
import { getAuthorizeDeps, runtime } from "@/lib/server/deps";
import { getCurrentSession } from "@/lib/server/session";
import { signUpEnabled } from "@/lib/services/signup";
import { findAccount } from "@/lib/services/users";
import { PortalFrame } from "../_components/portal-frame";
import { switchAccount } from "./actions";
import { ContinueAsForm } from "./continue-as-form";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const secondaryButton =
  "w-full rounded-lg border border-slate-300 bg-white px-5 py-2.5 text-center font-semibold text-slate-800 hover:bg-slate-100";

export default async function LoginPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { interaction: raw, return_to: rawReturnTo, reauth } = await searchParams;
  const interactionId = typeof raw === "string" ? raw : undefined;
  const session = await getCurrentSession();
  const [found, account] = await Promise.all([
    interactionId ? describeInteraction(interactionId, session, getAuthorizeDeps(), "login") : null,
    session ? findAccount(session.userId) : null,
  ]);
  const returnTo = found ? undefined : safeReturnPath(rawReturnTo);
  const appName = found?.client.name;

  /** Signs out and comes back here, to sign in as someone else. */
  const another = (
    <form action={switchAccount}>
      {found ? <input type="hidden" name="interaction" value={interactionId} /> : null}
      {returnTo ? <input type="hidden" name="return_to" value={returnTo} /> : null}
      <button type="submit" className={secondaryButton}>
        Use another account
      </button>
    </form>
  );
  const subtitle = (
    <p className="mt-2 text-slate-700">
      {appName ? (
        <>
          to continue to <strong className="font-semibold text-slate-900">{appName}</strong>
        </>
      ) : (
        `to your ${getConfig().portalName} account`
      )}
    </p>
  );

  if (interactionId && !found) {
    return (
      <PortalFrame>
        <h1 className="text-2xl font-bold tracking-tight">Sign in</h1>
        <p role="alert" className="mt-4 text-slate-700">
          This sign-in request has expired or was already used. Go back to the application and try again.
        </p>
      </PortalFrame>
    );
  }

  // Already signed in on this browser: continue as that person, unless the application asked for
  // a fresh sign-in (prompt=login, max_age) or the admin console needs the password again.
  const offerContinue =
    session && account && (found ? !needsFreshSignIn(found.interaction.request, session, runtime.now()) : reauth !== "1");
  if (session && account && offerContinue) {
    return (
      <PortalFrame>
        <h1 className="text-2xl font-bold tracking-tight">Choose an account</h1>
        {subtitle}
        <p className="mt-4 break-words text-slate-700">
          You are signed in as <strong className="font-semibold text-slate-900">{account.email}</strong>.
        </p>
        <div className="mt-6 space-y-3">
          {found && interactionId ? (
            <ContinueAsForm interaction={interactionId} email={account.email} />
          ) : (
            <Link
              href={returnTo ?? "/account"}
              className="block w-full rounded-lg bg-brand-600 px-5 py-2.5 text-center font-semibold break-words text-white shadow-sm hover:bg-brand-700"
            >
              Continue as {account.email}
            </Link>
          )}
          {another}
        </div>
      </PortalFrame>
    );
  }

  return (
    <PortalFrame>
      <h1 className="text-2xl font-bold tracking-tight">Sign in</h1>
      {reauth === "1" && !found ? (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
          For your security, sign in again before you change anything in the admin console.
        </p>
      ) : null}
      {subtitle}
      {found && account ? (
        <p className="mt-4 break-words text-slate-700">
          {appName} asks you to sign in again. You are signed in as{" "}
          <strong className="font-semibold text-slate-900">{account.email}</strong>.
        </p>
      ) : null}
      <div className="mt-6">
        <LoginForm
          interaction={found ? interactionId : undefined}
          loginHint={found?.interaction.request.loginHint ?? account?.email}
          returnTo={returnTo}
        />
      </div>
      {account ? <div className="mt-3">{another}</div> : null}
      <div className="mt-5 space-y-2 text-center">
        <p>
          <Link href="/forgot-password" className="font-semibold text-brand-700 underline underline-offset-2 hover:text-brand-600">
            Forgot your password?
          </Link>
        </p>
        {signUpEnabled() ? (
          <p className="text-slate-700">
            New here?{" "}
            <Link href="/signup" className="font-semibold text-brand-700 underline underline-offset-2 hover:text-brand-600">
              Create an account
            </Link>
          </p>
        ) : null}
      </div>
    </PortalFrame>
  );
}
