/**
 * The owner's security page data (keys.status) on real PostgreSQL: every secret under a data-key
 * version is counted (provider keys, the content key, export archive keys), and the page says what
 * deleting the workspace destroys (ADR 0016), including while keys from before the vault remain.
 */
import { describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { wrapAsBeforeTheVault } from "../../../../tests/support/legacy-keys";
import { createCredential } from "../providers/credentials";
import { getTenantKeyStatus } from "./key-status";
import { moveDataKeysUnderVault } from "./vault-migration";

describe("keys.status", () => {
  it("counts every secret under its version and reports the workspace's key-vault key", async () => {
    const f = await createTenantWithMembers();
    const ctx = tenantCtxOf(f.tenant, f.owner, "OWNER");
    await createCredential(ctx, { provider: "openai", label: "Main", apiKey: "sk-status-0123456789" });
    // A sealed write creates the workspace's content key (ADR 0015): one more secret under v1.
    await db.conversation.create({ data: { tenantId: f.tenant.id, userId: f.owner.id, personaKey: "ceo", title: "Status check" } });
    // An export archive's key (ADR 0017) is counted too.
    await db.dataExport.create({ data: { tenantId: f.tenant.id, requestedById: f.owner.id, scope: "workspace", status: "ready", archiveKeyCiphertext: "ocs1.1.x", archiveKeyVersion: 1 } });

    const status = await getTenantKeyStatus(ctx);
    expect(status.versions).toMatchObject([{ version: 1, status: "active", secrets: 3 }]);
    expect(status.deletionKey).toEqual({ vault: "file", covered: true });

    // A key wrapped by the master keys alone (from before the vault) is not covered until it is moved.
    await wrapAsBeforeTheVault(f.tenant.id);
    expect((await getTenantKeyStatus(ctx)).deletionKey).toEqual({ vault: "file", covered: false });
    expect(await moveDataKeysUnderVault({ tenantId: f.tenant.id })).toEqual({ tenants: 1, dataKeysMoved: 1 });
    expect((await getTenantKeyStatus(ctx)).deletionKey).toEqual({ vault: "file", covered: true });
    expect(await moveDataKeysUnderVault({ tenantId: f.tenant.id })).toEqual({ tenants: 0, dataKeysMoved: 0 });
    const audit = await db.auditEvent.findFirst({ where: { action: "keys.moved_under_vault", targetId: f.tenant.id } });
    expect(audit?.metadata).toEqual({ tenants: 1, dataKeysMoved: 1 });
  });
});
