-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN "subjectUserId" TEXT;

-- AlterTable
ALTER TABLE "Client" ADD COLUMN "lastUsedAt" DATETIME;

-- CreateTable
CREATE TABLE "ChangeCounter" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "AuditEvent_clientId_createdAt_idx" ON "AuditEvent"("clientId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_actorUserId_createdAt_idx" ON "AuditEvent"("actorUserId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectUserId_createdAt_idx" ON "AuditEvent"("subjectUserId", "createdAt");

-- The one row of the change counter (lib/services/change.ts).
INSERT INTO "ChangeCounter" ("id", "version", "updatedAt") VALUES (1, 0, CURRENT_TIMESTAMP);
