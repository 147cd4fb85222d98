// The e2e server's PORTAL_SECRET on PostgreSQL (playwright.config.ts sets it; it is never
// generated there). On SQLite the server generates one in its data folder instead.
export const E2E_POSTGRES_PORTAL_SECRET = "e2e-portal-secret-of-at-least-32-characters";
