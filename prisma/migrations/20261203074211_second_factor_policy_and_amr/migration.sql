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
    "requireMfa" BOOLEAN NOT NULL DEFAULT false,
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
CREATE TABLE "new_Grant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "clientRef" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "sessionId" TEXT,
    "authTime" DATETIME NOT NULL,
    "amr" TEXT NOT NULL DEFAULT 'pwd',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "Grant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Grant_clientRef_fkey" FOREIGN KEY ("clientRef") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Grant" ("authTime", "clientRef", "createdAt", "id", "revokedAt", "scope", "sessionId", "userId") SELECT "authTime", "clientRef", "createdAt", "id", "revokedAt", "scope", "sessionId", "userId" FROM "Grant";
DROP TABLE "Grant";
ALTER TABLE "new_Grant" RENAME TO "Grant";
CREATE INDEX "Grant_userId_clientRef_idx" ON "Grant"("userId", "clientRef");
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "authTime" DATETIME NOT NULL,
    "amr" TEXT NOT NULL DEFAULT 'pwd',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "endedAt" DATETIME,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("authTime", "createdAt", "endedAt", "expiresAt", "id", "ipAddress", "lastSeenAt", "tokenHash", "userAgent", "userId") SELECT "authTime", "createdAt", "endedAt", "expiresAt", "id", "ipAddress", "lastSeenAt", "tokenHash", "userAgent", "userId" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "role" TEXT NOT NULL DEFAULT 'user',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "selfSignedUp" BOOLEAN NOT NULL DEFAULT false,
    "secondFactorRequired" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastLoginAt" DATETIME
);
INSERT INTO "new_User" ("createdAt", "disabled", "email", "emailVerified", "id", "lastLoginAt", "name", "passwordHash", "role", "selfSignedUp", "updatedAt") SELECT "createdAt", "disabled", "email", "emailVerified", "id", "lastLoginAt", "name", "passwordHash", "role", "selfSignedUp", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
