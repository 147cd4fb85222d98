// The e2e server mails through a real SMTP server on this loopback port (playwright.config.ts
// gives the portal SMTP_URL=smtp://127.0.0.1:<port>); the specs that read mail listen on it
// themselves (tests/support/smtp.ts). The portal tolerates nobody listening there: mail it sends
// then is logged as not sent, and no page waits for it.
export const E2E_SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 39525);
