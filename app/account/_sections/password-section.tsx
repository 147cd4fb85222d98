import { PasswordForm } from "./password-form";
import { CARD, Section } from "./ui";

export function PasswordSection() {
  return (
    <Section id="password" title="Password">
      <div className={CARD}>
        <PasswordForm />
      </div>
    </Section>
  );
}
