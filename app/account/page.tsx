import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/server/session";
import { listAccountApplications, listAccountSessions } from "@/lib/services/account";
import { VERIFICATION_LINK_HOURS } from "@/lib/services/account-links";
import { emailVerificationStatus } from "@/lib/services/email-verification";
import { secondFactorStatus } from "@/lib/services/second-factor";
import { listPasskeys } from "@/lib/services/passkeys";
import { findAccount } from "@/lib/services/users";
import { VerifyEmailNotice } from "../_components/verify-email-notice";
import { AccountHeader } from "./_sections/account-header";
import { ApplicationsSection } from "./_sections/applications-section";
import { PasskeysSection } from "./_sections/passkeys-section";
import { PasswordSection } from "./_sections/password-section";
import { ProfileSection } from "./_sections/profile-section";
import { SessionsSection } from "./_sections/sessions-section";
import { StatusNotice } from "./_sections/status-notice";
import { TwoStepSection } from "./_sections/two-step-section";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

/** The person's own account: one section per concern (_sections/), each self-contained. */
export default async function AccountPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await getCurrentSession();
  if (!session) redirect("/login?return_to=/account");
  const [{ status }, user, applications, sessions, verification, secondFactors, passkeys] = await Promise.all([
    searchParams,
    findAccount(session.userId),
    listAccountApplications(session.userId),
    listAccountSessions(session.userId, session.id),
    emailVerificationStatus(session.userId),
    secondFactorStatus(session.userId),
    listPasskeys(session.userId),
  ]);
  if (!user) redirect("/login?return_to=/account");

  return (
    <main className="mx-auto w-full max-w-2xl px-5 py-12">
      <AccountHeader user={user} />
      {verification && !verification.verified ? (
        <div className="mt-6">
          <VerifyEmailNotice email={verification.email} hours={VERIFICATION_LINK_HOURS} />
        </div>
      ) : null}
      <StatusNotice statusKey={status} />
      <ProfileSection name={user.name} email={user.email} />
      <PasswordSection />
      <TwoStepSection status={secondFactors} />
      <PasskeysSection passkeys={passkeys} />
      <ApplicationsSection applications={applications} />
      <SessionsSection sessions={sessions} />
    </main>
  );
}
