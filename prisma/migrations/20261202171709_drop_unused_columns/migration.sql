-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "logoUri" TEXT,
    "clientUri" TEXT,
    "policyUri" TEXT,
    "tosUri" TEXT,
    "applicationType" TEXT NOT NULL DEFAULT 'web',
    "type" TEXT NOT NULL,
    "tokenEndpointAuthMethod" TEXT NOT NULL,
    "redirectUris" TEXT NOT NULL,
    "postLogoutRedirectUris" TEXT NOT NULL DEFAULT '',
    "scope" TEXT NOT NULL DEFAULT 'openid profile email offline_access',
    "grantTypes" TEXT NOT NULL DEFAULT 'authorization_code refresh_token',
    "idTokenSignedResponseAlg" TEXT NOT NULL DEFAULT 'RS256',
    "accessTokenTtlSeconds" INTEGER,
    "refreshTokenTtlSeconds" INTEGER,
    "idTokenTtlSeconds" INTEGER,
    "skipConsent" BOOLEAN NOT NULL DEFAULT false,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "registrationSource" TEXT NOT NULL DEFAULT 'admin',
    "registrationAccessTokenHash" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    CONSTRAINT "Client_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("accessTokenTtlSeconds", "applicationType", "clientId", "clientUri", "createdAt", "createdById", "disabled", "grantTypes", "id", "idTokenSignedResponseAlg", "idTokenTtlSeconds", "lastUsedAt", "logoUri", "name", "policyUri", "postLogoutRedirectUris", "redirectUris", "refreshTokenTtlSeconds", "registrationAccessTokenHash", "registrationSource", "scope", "skipConsent", "tokenEndpointAuthMethod", "tosUri", "type", "updatedAt") SELECT "accessTokenTtlSeconds", "applicationType", "clientId", "clientUri", "createdAt", "createdById", "disabled", "grantTypes", "id", "idTokenSignedResponseAlg", "idTokenTtlSeconds", "lastUsedAt", "logoUri", "name", "policyUri", "postLogoutRedirectUris", "redirectUris", "refreshTokenTtlSeconds", "registrationAccessTokenHash", "registrationSource", "scope", "skipConsent", "tokenEndpointAuthMethod", "tosUri", "type", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
CREATE UNIQUE INDEX "Client_registrationAccessTokenHash_key" ON "Client"("registrationAccessTokenHash");
CREATE TABLE "new_RateLimit" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "windowStart" DATETIME NOT NULL,
    "count" INTEGER NOT NULL
);
INSERT INTO "new_RateLimit" ("count", "key", "windowStart") SELECT "count", "key", "windowStart" FROM "RateLimit";
DROP TABLE "RateLimit";
ALTER TABLE "new_RateLimit" RENAME TO "RateLimit";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
