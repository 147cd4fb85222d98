import type { Metadata } from "next";
import { findUsableLink } from "@/lib/services/account-links";
import { AuthCard } from "../_components/auth-card";
import { UnusableLinkNotice } from "../_components/unusable-link";
import { ResetForm } from "./reset-form";

export const metadata: Metadata = { title: "Choose a new password" };
export const dynamic = "force-dynamic";

export default async function ResetPasswordPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  // Only read here: the link is used when the form is sent.
  const link = await findUsableLink(token, "password_reset");
  return (
    <AuthCard title="Choose a new password">
      {link ? (
        <>
          <p className="mt-2 text-slate-700">
            for <strong className="font-semibold wrap-break-word">{link.email}</strong>
          </p>
          <ResetForm token={token} email={link.email} />
        </>
      ) : (
        <UnusableLinkNotice kind="reset" />
      )}
    </AuthCard>
  );
}
