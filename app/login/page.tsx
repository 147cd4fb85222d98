import type { Metadata } from "next";
import Link from "next/link";
import { describeInteraction } from "@/lib/oauth/authorize/handle-authorize";
import { safeReturnPath } from "@/lib/safe-return";
import { getAuthorizeDeps } from "@/lib/server/deps";
import { getCurrentSession } from "@/lib/server/session";
import { signUpEnabled } from "@/lib/services/signup";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { readonly searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { interaction: raw, return_to: returnTo, reauth } = await searchParams;
  const interactionId = typeof raw === "string" ? raw : undefined;
  const found = interactionId
    ? await describeInteraction(interactionId, await getCurrentSession(), getAuthorizeDeps(), "login")
    : null;

  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col justify-center px-5 py-12">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">Sign in</h1>
        {interactionId && !found ? (
          <p role="alert" className="mt-4 text-slate-700">
            This sign-in request has expired or was already used. Go back to the application and try again.
          </p>
        ) : (
          <>
            {reauth === "1" && !found ? (
              <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
                For your security, sign in again before you change anything in the admin console.
              </p>
            ) : null}
            <p className="mt-2 text-slate-700">
              {found ? (
                <>to continue to <strong className="font-semibold text-slate-900">{found.client.name}</strong></>
              ) : (
                "to your Identity Portal account"
              )}
            </p>
            <div className="mt-6">
              <LoginForm
                interaction={found ? interactionId : undefined}
                loginHint={found?.interaction.request.loginHint}
                returnTo={found ? undefined : safeReturnPath(returnTo)}
              />
            </div>
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
          </>
        )}
      </div>
    </main>
  );
}
