// What each scope means to a person reading the consent screen.
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: "Know that it is you (a stable identifier, not your email)",
  profile: "See your name and basic profile details",
  email: "See your email address and whether it is verified",
  offline_access: "Keep access while you are not using it (until you withdraw it)",
};

export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? `Use the “${scope}” permission`;
}
