-- AlterTable
ALTER TABLE "Client" DROP COLUMN "responseTypes";

-- AlterTable
ALTER TABLE "RateLimit" DROP COLUMN "blockedUntil";
