import { CryptoError, isSealedText, openText, SEALED_TEXT_PREFIX, sealText, tenantOfSealedText, type ContentKeys } from "@ocsuite/crypto";
import { Prisma } from "./generated/client";
import { blindTsText, prefixIndex, SEARCH_INDEXES, tsvectorTexts } from "./search-index";

/*
 * Content columns sealed at rest under each workspace's content key (ADR 0015, issue 16
 * crypto-shredding). A Prisma query extension on the app's one client: every model write seals
 * the listed fields (nested writes included), every model read opens them (nested relations
 * included), so services and tests keep reading and writing plain strings and JSON. What the
 * database, its replicas, dumps and backups hold is "occ1.<tenantId>.<AES-256-GCM>", which only
 * the tenant's content key opens; destroying the tenant's data keys shreds them all.
 *
 * Hand-written rather than a library: the field-encryption extensions for Prisma
 * (prisma-field-encryption and its forks) seal every row under one application key, and
 * crypto-shredding needs the key to be the row's tenant's.
 *
 * Not covered, by construction: raw SQL ($queryRaw). The few raw queries that read a sealed
 * column open it themselves with openSealedRows. A value that is not sealed (a row written before
 * this existed) is read as it is; `npm run content:seal` seals them.
 */

export type SealedKind = "text" | "json";

/** A PostgreSQL regular expression matching sealed text (for SQL that finds rows still in plaintext). */
export const SEALED_PREFIX_PATTERN = `^${SEALED_TEXT_PREFIX.replace(".", "\\.")}`;

/** Every sealed column, per model. Searchable columns are sealed with a blind index beside them. */
export const SEALED_FIELDS: Readonly<Record<string, Readonly<Record<string, SealedKind>>>> = {
  Conversation: { title: "text" },
  Message: { content: "text", citations: "json" },
  Document: { title: "text", filename: "text" },
  DocumentChunk: { text: "text", heading: "text" },
  Meeting: { title: "text", goal: "text", agenda: "json" },
  MeetingTurn: { content: "text" },
  MeetingOutcome: { decision: "text", positions: "json", dissent: "text" },
  ActionItem: { description: "text" },
  Task: { title: "text", description: "text", deliverable: "text", feedback: "text" },
  TaskStep: { output: "text" },
  // A workspace's standing instructions to a persona: its own words, often about its business.
  TenantPersona: { instructions: "text" },
};

/**
 * The relation fields through which a query can read or write rows of a model with sealed
 * fields: a nested include or nested create is opened or sealed with its own model's list.
 * tests/content-encryption-schema.test.ts checks this against prisma/schema.prisma.
 */
export const CONTENT_RELATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Tenant: { personas: "TenantPersona", conversations: "Conversation", documents: "Document", meetings: "Meeting", tasks: "Task" },
  TenantPersona: { tenant: "Tenant" },
  User: { conversations: "Conversation" },
  Conversation: { tenant: "Tenant", user: "User", messages: "Message" },
  Message: { conversation: "Conversation" },
  Document: { tenant: "Tenant", chunks: "DocumentChunk" },
  DocumentChunk: { document: "Document" },
  Meeting: { tenant: "Tenant", turns: "MeetingTurn", outcomes: "MeetingOutcome", actionItems: "ActionItem" },
  MeetingTurn: { meeting: "Meeting" },
  MeetingOutcome: { meeting: "Meeting" },
  ActionItem: { meeting: "Meeting" },
  Task: { tenant: "Tenant", steps: "TaskStep" },
  TaskStep: { task: "Task" },
};

export type ContentEncryptionDeps = {
  /** The tenant's content keys: created on first use to seal, never to open. */
  keysFor: (tenantId: string, purpose: "seal" | "open") => Promise<ContentKeys>;
  /** Where a blind index's words are parsed (the caller's transaction, else the client: parsing stores nothing). */
  sql: () => Parameters<typeof tsvectorTexts>[0];
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const each = (v: unknown, fn: (o: Obj) => void): void => {
  if (Array.isArray(v)) for (const x of v) if (isObj(x)) fn(x);
  if (isObj(v)) fn(v);
};

// ─── Reading ────────────────────────────────────────────────────────────────

type Found = { row: Obj; key: string; field: string; kind: SealedKind; tenantId: string };

const collectSealed = (model: string, value: unknown, out: Found[]): void =>
  each(value, (row) => {
    const sealed = SEALED_FIELDS[model];
    const relations = CONTENT_RELATIONS[model];
    for (const [key, v] of Object.entries(row)) {
      const kind = sealed?.[key];
      if (kind) {
        const tenantId = typeof v === "string" ? tenantOfSealedText(v) : null;
        // A value copied from another workspace's row opens under that workspace's key: refuse it
        // whenever the row's own tenant is in the result.
        if (tenantId && typeof row.tenantId === "string" && row.tenantId !== tenantId) throw new CryptoError("DECRYPT_FAILED", `${model}.${key} holds another workspace's sealed value`);
        if (tenantId) out.push({ row, key, field: `${model}.${key}`, kind, tenantId });
      } else if (relations?.[key]) collectSealed(relations[key], v, out);
    }
  });

const openFound = async (found: Found[], keysFor: ContentEncryptionDeps["keysFor"]) => {
  if (found.length === 0) return;
  const keys = new Map<string, ContentKeys>();
  for (const tenantId of new Set(found.map((f) => f.tenantId))) keys.set(tenantId, await keysFor(tenantId, "open"));
  for (const f of found) {
    const plain = openText(keys.get(f.tenantId)!, f.field, f.row[f.key] as string);
    f.row[f.key] = f.kind === "json" ? JSON.parse(plain) : plain;
  }
};

/** Opens the sealed fields of a model query's result (rows, one row, nested relations), in place. */
const openSealedResult = async <T>(model: string, result: T, keysFor: ContentEncryptionDeps["keysFor"]): Promise<T> => {
  const found: Found[] = [];
  collectSealed(model, result, found);
  await openFound(found, keysFor);
  return result;
};

/**
 * For raw SQL rows: opens the named columns (column alias → "Model.field" it was read from), in place.
 * A value that is not sealed is left as it is.
 */
export const openSealedRows = async <T extends Obj>(rows: T[], columns: Readonly<Record<string, string>>, keysFor: ContentEncryptionDeps["keysFor"]): Promise<T[]> => {
  const found: Found[] = [];
  for (const row of rows)
    for (const [alias, field] of Object.entries(columns)) {
      const v = row[alias];
      const tenantId = typeof v === "string" && isSealedText(v) ? tenantOfSealedText(v) : null;
      const [model, key] = field.split(".") as [string, string];
      if (tenantId) found.push({ row, key: alias, field, kind: SEALED_FIELDS[model]?.[key] ?? "text", tenantId });
    }
  await openFound(found, keysFor);
  return rows;
};

// ─── Writing ────────────────────────────────────────────────────────────────

const sealValue = (keys: ContentKeys, field: string, kind: SealedKind, v: unknown): unknown => {
  if (v === undefined || v === null) return v;
  if (kind === "json") return v === Prisma.DbNull || v === Prisma.JsonNull || v === Prisma.AnyNull ? v : sealText(keys, field, JSON.stringify(v));
  if (typeof v === "string") return sealText(keys, field, v);
  if (isObj(v) && typeof v.set === "string") return { ...v, set: sealText(keys, field, v.set) };
  return v;
};

/** The tenant of the rows a write touches, asked for only when a sealed field is written. */
type TenantOf = () => string;

/**
 * The blind index (search-index.ts) of each row that writes its model's searched fields, set on
 * the row before the fields are sealed: one statement for a whole createMany.
 */
const indexRows = async (model: string, rows: Obj[], tenantOf: TenantOf, deps: ContentEncryptionDeps): Promise<void> => {
  const spec = SEARCH_INDEXES[model];
  if (!spec) return;
  const fields = spec.kind === "prefixes" ? spec.fields : spec.fields.map(([f]) => f);
  const writing = rows.filter((r) => fields.some((f) => r[f] !== undefined));
  // The index is of all its fields at once: a write of one of them alone would drop the others' words.
  const main = fields.at(-1)!;
  const partial = writing.find((r) => (spec.kind === "prefixes" ? fields.some((f) => r[f] === undefined) : typeof r[main] !== "string"));
  if (partial) throw new Error(`content-encryption: ${model}.${fields.join(", ")} are written together (their blind index is of all of them)`);
  const keysOf = (row: Obj) => deps.keysFor(typeof row.tenantId === "string" ? row.tenantId : tenantOf(), "seal");
  if (spec.kind === "prefixes") {
    for (const row of writing) row[spec.column] = prefixIndex(await keysOf(row), fields.map((f) => (typeof row[f] === "string" ? (row[f] as string) : null)));
    return;
  }
  const texts = await tsvectorTexts(deps.sql(), spec, writing);
  for (const [i, row] of writing.entries()) row[spec.column] = blindTsText(await keysOf(row), texts[i]!);
};

/** Seals data objects of `model` (and their nested writes), returning copies. */
const sealData = async (model: string, data: unknown, tenantOf: TenantOf, deps: ContentEncryptionDeps): Promise<unknown> => {
  const rows = (Array.isArray(data) ? data : [data]).map((d) => (isObj(d) ? { ...d } : d));
  await indexRows(model, rows.filter(isObj), tenantOf, deps);
  const sealed = await Promise.all(rows.map((row) => (isObj(row) ? sealRow(model, row, tenantOf, deps) : row)));
  return Array.isArray(data) ? sealed : sealed[0];
};

const sealRow = async (model: string, data: Obj, tenantOf: TenantOf, deps: ContentEncryptionDeps): Promise<Obj> => {
  const own: TenantOf = typeof data.tenantId === "string" ? () => data.tenantId as string : tenantOf;
  const out: Obj = { ...data };
  for (const [key, v] of Object.entries(data)) {
    const kind = SEALED_FIELDS[model]?.[key];
    if (kind && v !== undefined && v !== null) out[key] = sealValue(await deps.keysFor(own(), "seal"), `${model}.${key}`, kind, v);
    const related = CONTENT_RELATIONS[model]?.[key];
    if (related && isObj(v)) out[key] = await sealNested(related, v, own, deps);
  }
  return out;
};

/** A nested write ({ create, createMany, update, upsert, connectOrCreate, updateMany }) of a related model. */
const sealNested = async (model: string, ops: Obj, tenantOf: TenantOf, deps: ContentEncryptionDeps): Promise<Obj> => {
  const seal = (d: unknown) => sealData(model, d, tenantOf, deps);
  const mapEach = async (v: unknown, fn: (o: Obj) => Promise<Obj>) => (Array.isArray(v) ? Promise.all(v.map((x) => (isObj(x) ? fn(x) : x))) : isObj(v) ? fn(v) : v);
  const out: Obj = { ...ops };
  if (ops.create !== undefined) out.create = await seal(ops.create);
  if (isObj(ops.createMany)) out.createMany = { ...ops.createMany, data: await seal(ops.createMany.data) };
  if (ops.connectOrCreate !== undefined) out.connectOrCreate = await mapEach(ops.connectOrCreate, async (o) => ({ ...o, create: await seal(o.create) }));
  if (ops.upsert !== undefined) out.upsert = await mapEach(ops.upsert, async (o) => ({ ...o, create: await seal(o.create), update: await seal(o.update) }));
  for (const op of ["update", "updateMany"] as const)
    if (ops[op] !== undefined) out[op] = await mapEach(ops[op], async (o) => (isObj(o.data) ? { ...o, data: await seal(o.data) } : ((await seal(o)) as Obj)));
  return out;
};

const CREATES = new Set(["create", "createMany", "createManyAndReturn"]);
const UPDATES = new Set(["update", "updateMany", "updateManyAndReturn", "upsert"]);

/**
 * Which tenant's key seals a write. A create names it in its data; an update or upsert that writes
 * a sealed field must name it in `where` (services always scope writes by tenant): a lookup of
 * the row's tenant could not see rows created earlier in the same transaction.
 */
const sealArgs = (model: string, operation: string, args: Obj, deps: ContentEncryptionDeps): Promise<unknown> => {
  const where = isObj(args.where) ? args.where : {};
  const tenantOf: TenantOf = () => {
    if (!CREATES.has(operation) && typeof where.tenantId === "string") return where.tenantId;
    throw new Error(`content-encryption: ${model}.${operation} writes a sealed field, so it must name the tenant (${CREATES.has(operation) ? "data" : "where"}.tenantId)`);
  };
  if (operation !== "upsert") return sealData(model, args.data, tenantOf, deps).then((data) => ({ ...args, data }));
  // An upsert's update seals for the tenant it would create for, and only matches that tenant's row.
  const createTenant = isObj(args.create) && typeof args.create.tenantId === "string" ? args.create.tenantId : null;
  const updateTenant: TenantOf = createTenant ? () => createTenant : tenantOf;
  const scoped = createTenant && where.tenantId === undefined ? { ...where, tenantId: createTenant } : args.where;
  return Promise.all([sealData(model, args.create, tenantOf, deps), sealData(model, args.update, updateTenant, deps)]).then(([create, update]) => ({ ...args, where: scoped, create, update }));
};

const WRITES = new Set([...CREATES, ...UPDATES]);

/** The Prisma client extension: seal on every model write, open on every model read. */
export const contentEncryption = (deps: ContentEncryptionDeps) =>
  Prisma.defineExtension({
    name: "content-encryption",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const reaches = model in CONTENT_RELATIONS;
          if (!reaches) return query(args);
          const sealed = WRITES.has(operation) && isObj(args) ? await sealArgs(model, operation, args, deps) : args;
          return openSealedResult(model, await query(sealed as typeof args), deps.keysFor);
        },
      },
    },
  });
