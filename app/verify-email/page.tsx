import type { Metadata } from "next";
import { findUsableLink } from "@/lib/services/account-links";
import { AuthCard } from "../_components/auth-card";
import { UnusableLinkNotice } from "../_components/unusable-link";
import { VerifyForm } from "./verify-form";

export const metadata: Metadata = { title: "Confirm your email address" };
export const dynamic = "force-dynamic";

export default async function VerifyEmailPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  const link = await findUsableLink(token, "email_verification");
  return (
    <AuthCard title="Confirm your email address">
      {link ? <VerifyForm token={token} email={link.email} /> : <UnusableLinkNotice kind="verify" />}
    </AuthCard>
  );
}
