import type { Metadata } from "next";
import { RESET_LINK_MINUTES } from "@/lib/services/account-links";
import { AuthCard } from "../_components/auth-card";
import { ForgotForm } from "./forgot-form";

export const metadata: Metadata = { title: "Forgot your password?" };
export const dynamic = "force-dynamic";

export default function ForgotPasswordPage() {
  return (
    <AuthCard title="Forgot your password?">
      <p className="mt-2 text-slate-700">Enter the email address of your account, and we will send you a link to choose a new password.</p>
      <ForgotForm minutes={RESET_LINK_MINUTES} />
    </AuthCard>
  );
}
