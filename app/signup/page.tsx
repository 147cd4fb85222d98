import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { signUpEnabled } from "@/lib/services/signup";
import { AuthCard } from "../_components/auth-card";
import { SignupForm } from "./signup-form";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

export default function SignupPage() {
  // SIGNUP_ENABLED off (the default): there is no such page.
  if (!signUpEnabled()) notFound();
  return (
    <AuthCard title="Create an account">
      <p className="mt-2 text-slate-700">One account for every application that signs you in with Identity Portal.</p>
      <SignupForm />
    </AuthCard>
  );
}
