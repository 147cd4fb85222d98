-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "requireMfa" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Grant" ADD COLUMN     "amr" TEXT NOT NULL DEFAULT 'pwd';

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "amr" TEXT NOT NULL DEFAULT 'pwd';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "secondFactorRequired" BOOLEAN NOT NULL DEFAULT false;
