import { NameForm } from "./name-form";
import { CARD, Section } from "./ui";

export function ProfileSection({ name, email }: { readonly name: string; readonly email: string }) {
  return (
    <Section id="profile" title="Your name">
      <div className={CARD}>
        <NameForm name={name} />
        <p className="mt-4 break-words text-sm text-slate-700">
          Email address: <span className="font-medium text-slate-900">{email}</span>
        </p>
      </div>
    </Section>
  );
}
