import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant, uid } from "../../../../prisma/factories";
import { db, type Db } from "~/server/db/client";
import { PrismaClient } from "~/server/db/generated/client";
import { pgConfigFromUrl } from "~/server/db/pg-config";
import { writeChunks } from "../knowledge/ingest";
import { contextOf, numberPassages, passageSource, retrieveWithTimeout, sourceLines } from "./grounding";

const HOTEL = "The hotel limit per night is 180 euros in capital cities and 120 euros elsewhere.";
let tenantId: string;

beforeAll(async () => {
  tenantId = (await createTenant()).id;
  const doc = await db.document.create({
    data: { tenantId, title: "Travel policy", filename: "travel.md", kind: "markdown", mimeType: "text/markdown", sizeBytes: 10, sha256: uid(32), storageKey: `k-${uid()}`, indexVersion: 1 },
  });
  await writeChunks({ tenantId, documentId: doc.id, indexVersion: 1 }, { pageCount: 1, charCount: HOTEL.length }, [{ ordinal: 0, text: `  ${HOTEL}  `, page: 3, heading: "Hotels", charStart: 0, charEnd: HOTEL.length }]);
});

describe("retrieveWithTimeout", () => {
  it("finds the tenant's passages, numbered from 1, trimmed, with their source", async () => {
    const g = await retrieveWithTimeout({ tenantId, query: "hotel limit per night", limit: 4, purpose: "test", retrieval: { mode: "fts", embedder: null } });
    expect(g.failure).toBeNull();
    expect(g.passages).toEqual([expect.objectContaining({ n: 1, title: "Travel policy", page: 3, heading: "Hotels", text: HOTEL })]);
    expect(sourceLines(g.passages)).toEqual(["[1] Travel policy, p. 3"]);
    expect(contextOf(g.passages)).toEqual([{ title: "Travel policy, p. 3", text: HOTEL }]);
  });

  it("another tenant finds nothing of it", async () => {
    const other = (await createTenant()).id;
    const g = await retrieveWithTimeout({ tenantId: other, query: "hotel limit per night", limit: 4, purpose: "test", retrieval: { mode: "fts", embedder: null } });
    expect(g).toEqual({ passages: [], failure: null });
  });

  it("gives up after the timeout and goes on without documents", async () => {
    // A database that never answers: only the timeout can end the search.
    const hanging = { $queryRaw: () => new Promise<never>(() => undefined), $executeRaw: () => new Promise<never>(() => undefined) } as unknown as Db;
    const t0 = performance.now();
    const g = await retrieveWithTimeout({ tenantId, query: "hotel limit per night", limit: 4, purpose: "test", timeoutMs: 50, retrieval: { db: hanging, mode: "fts", embedder: null } });
    expect(g).toEqual({ passages: [], failure: "timeout" });
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  describe("when search fails", () => {
    // A real database client that cannot connect (nothing listens on port 1): retrieval throws.
    const unreachable = new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl("postgres://nobody@127.0.0.1:1/none", { max: 1 })) }) as unknown as Db;
    afterAll(() => unreachable.$disconnect().catch(() => undefined));

    it("reports the error and goes on without documents", async () => {
      const g = await retrieveWithTimeout({ tenantId, query: "hotel limit per night", limit: 4, purpose: "test", retrieval: { db: unreachable, mode: "fts", embedder: null } });
      expect(g).toEqual({ passages: [], failure: "error" });
    });
  });
});

describe("numberPassages / passageSource", () => {
  it("clips each passage to the budget and names its page only when it has one", () => {
    const found = [
      { chunkId: "c1", documentId: "d1", documentTitle: "Budget", page: null, heading: null, text: "x".repeat(50), score: 1 },
      { chunkId: "c2", documentId: "d2", documentTitle: "Notes", page: 2, heading: "H", text: " short ", score: 0.5 },
    ];
    const [a, b] = numberPassages(found, 10);
    expect(a).toMatchObject({ n: 1, title: "Budget", text: `${"x".repeat(9)}…` });
    expect(b).toMatchObject({ n: 2, title: "Notes", text: "short" });
    expect(passageSource(a!)).toBe("Budget");
    expect(passageSource(b!)).toBe("Notes, p. 2");
  });
});
