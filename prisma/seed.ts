// Seeds the demo workspace and one user per role (see prisma/demo-data.mjs).
// Idempotent: existing rows are left as they are, so a restart keeps any
// changes made in the demo. Run by `npm start` on every boot and by
// `npm run db:seed`.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../src/server/db/generated/client";
import { pgConfigFromUrl } from "../src/server/db/pg-config";
import { hashPassword } from "../src/server/infra/password";
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS } from "./demo-data.mjs";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL must be set to seed");

const db = new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl(url)) });

const main = async () => {
  const tenant = await db.tenant.upsert({ where: { slug: DEMO_TENANT.slug }, update: {}, create: DEMO_TENANT });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  for (const u of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { email: u.email }, select: { id: true } });
    const user =
      existing ??
      (await db.user.create({
        data: { email: u.email, name: u.name, passwordHash, emailVerified: new Date(), isPlatformAdmin: u.isPlatformAdmin ?? false, locale: "en" },
        select: { id: true },
      }));
    if (!existing) created += 1;
    if (u.role) {
      await db.membership.upsert({
        where: { tenantId_userId: { tenantId: tenant.id, userId: user.id } },
        update: {},
        create: { tenantId: tenant.id, userId: user.id, role: u.role as "OWNER" | "ADMIN" | "MEMBER" | "VIEWER" },
      });
    }
  }
  console.log(`seed: demo workspace "${tenant.name}" ready (${created} new users)`);
};

main()
  .catch((err) => {
    console.error("seed failed:", err);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
