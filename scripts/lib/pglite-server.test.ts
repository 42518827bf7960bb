/**
 * scripts/lib/pglite-server.mjs: one PGlite backend shared by many TCP clients,
 * with every protocol cycle (and every transaction) run exclusively.
 *
 * The first test documents the bug in @electric-sql/pglite-socket's server loop
 * that made us replace it (docs/adr/0008-pglite-server.md): the same concurrent
 * workload fails there and passes here.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPgliteServer } from "./pglite-server.mjs";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const urlFor = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tracks whether a promise has settled, without consuming its outcome. */
const watch = <T>(p: Promise<T>) => {
  const state = { settled: false };
  p.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
};

type WorkloadResult = { ok: number; wrong: number; errors: Record<string, number>; committedRowsOk: boolean };

/**
 * N concurrent jobs over an 8-connection pool: parameterised queries with 1, 2
 * and 3 parameters (the unnamed statement), a query that fails mid-cycle
 * (division by zero, expected), and transactions of which every fourth rolls back.
 */
async function workload(url: string, n = 400): Promise<WorkloadResult> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  const errors: Record<string, number> = {};
  const note = (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    errors[msg] = (errors[msg] ?? 0) + 1;
  };
  pool.on("error", note); // an idle client receiving a stray error must not crash the run
  let ok = 0;
  let wrong = 0;
  const check = (cond: boolean) => (cond ? ok++ : wrong++);
  try {
    await pool.query("CREATE TABLE IF NOT EXISTS wl (id serial PRIMARY KEY, v int NOT NULL)");
    await pool.query("TRUNCATE wl");
    const job = async (i: number) => {
      switch (i % 6) {
        case 0:
          return check((await pool.query("SELECT $1::int AS x", [i])).rows[0]?.x === i);
        case 1:
          return check((await pool.query("SELECT $1::int + $2::int AS x", [i, 1])).rows[0]?.x === i + 1);
        case 2:
          return check((await pool.query("SELECT $1::text || $2::text || $3::text AS x", ["a", String(i), "b"])).rows[0]?.x === `a${i}b`);
        case 3: {
          const c = await pool.connect();
          try {
            await c.query("BEGIN");
            await c.query("INSERT INTO wl (v) VALUES ($1)", [i]);
            const r = await c.query("SELECT count(*)::int AS n FROM wl WHERE v = $1", [i]);
            check(r.rows[0]?.n === 1);
            await c.query(i % 4 === 3 ? "ROLLBACK" : "COMMIT");
          } catch (e) {
            await c.query("ROLLBACK").catch(() => undefined);
            throw e;
          } finally {
            c.release();
          }
          return;
        }
        case 4:
          try {
            await pool.query("SELECT 1 / $1::int AS x", [0]);
            wrong++;
          } catch (e) {
            check((e as { code?: string }).code === "22012"); // division_by_zero, and nothing else
          }
          return;
        default: {
          const r = await pool.query("SELECT $1::int * 2 AS x, $2::text AS y, $3::int AS z, $4::int AS w", [i, "q", 3, 4]);
          return check(r.rows[0]?.x === i * 2 && r.rows[0]?.y === "q" && r.rows[0]?.z === 3 && r.rows[0]?.w === 4);
        }
      }
    };
    await Promise.all(Array.from({ length: n }, (_, i) => job(i).catch(note)));
    const expected = Array.from({ length: n }, (_, i) => i).filter((i) => i % 6 === 3 && i % 4 !== 3);
    let committedRowsOk = false;
    try {
      const rows = (await pool.query("SELECT v FROM wl ORDER BY v")).rows.map((r) => r.v as number);
      committedRowsOk = JSON.stringify(rows) === JSON.stringify(expected);
    } catch (e) {
      note(e);
    }
    return { ok, wrong, errors, committedRowsOk };
  } finally {
    await Promise.race([pool.end().catch(() => undefined), sleep(2000)]);
  }
}

/** A bare protocol client, to send exactly the messages a test needs. */
async function rawClient(port: number, { sslRequest = false } = {}) {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let sslAnswer: string | undefined;
  if (sslRequest) {
    const answer = new Promise<Buffer>((resolve) => socket.once("data", resolve));
    socket.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])); // SSLRequest (80877103)
    sslAnswer = (await answer).toString("latin1");
  }
  let buf = Buffer.alloc(0);
  const messages: { type: string; body: Buffer }[] = [];
  let wake = () => {};
  socket.on("data", (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1)) {
      const len = buf.readInt32BE(1);
      messages.push({ type: String.fromCharCode(buf[0]!), body: buf.subarray(5, 1 + len) });
      buf = buf.subarray(1 + len);
    }
    wake();
  });
  socket.on("error", () => undefined);
  const frame = (type: string, body: Buffer = Buffer.alloc(0)) => {
    const b = Buffer.alloc(5 + body.length);
    b.write(type, 0, "latin1");
    b.writeInt32BE(4 + body.length, 1);
    body.copy(b, 5);
    return b;
  };
  const cstr = (s: string) => Buffer.from(`${s}\0`);
  const int16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  };
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  /** Resolves with all messages received so far once one of `type` has arrived. */
  const until = async (type: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!messages.some((m) => m.type === type)) {
      if (Date.now() > deadline) throw new Error(`no '${type}' message within ${timeoutMs} ms; got ${messages.map((m) => m.type).join("")}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
    return messages.splice(0);
  };
  const startup = Buffer.concat([int32(196608), cstr("user"), cstr("postgres"), cstr("database"), cstr("postgres"), Buffer.from([0])]);
  socket.write(Buffer.concat([int32(4 + startup.length), startup]));
  await until("Z");
  return {
    socket,
    sslAnswer,
    until,
    messages,
    send: (...frames: Buffer[]) => socket.write(Buffer.concat(frames)),
    parse: (sql: string, name = "") => frame("P", Buffer.concat([cstr(name), cstr(sql), int16(0)])),
    bind: (params: string[], statement = "") =>
      frame("B", Buffer.concat([cstr(""), cstr(statement), int16(0), int16(params.length), ...params.flatMap((p) => [int32(Buffer.byteLength(p)), Buffer.from(p)]), int16(0)])),
    execute: () => frame("E", Buffer.concat([cstr(""), int32(0)])),
    flush: () => frame("H"),
    sync: () => frame("S"),
    query: (sql: string) => frame("Q", cstr(sql)),
  };
}

describe("upstream PGLiteSocketServer (the bug)", () => {
  it("interleaves concurrent extended-protocol cycles: errors and lost results", async () => {
    const db = await PGlite.create();
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 100 });
    await server.start();
    try {
      const r = await workload(urlFor(port));
      console.log("[pglite-socket 0.2.17]", JSON.stringify(r));
      const failures = r.wrong + Object.values(r.errors).reduce((a, b) => a + b, 0);
      // If this ever fails, upstream fixed its queue: see docs/adr/0008-pglite-server.md.
      expect(failures).toBeGreaterThan(0);
    } finally {
      await server.stop();
      await db.close();
    }
  });
});

describe("startPgliteServer", () => {
  let db: PGlite;
  let server: Awaited<ReturnType<typeof startPgliteServer>>;
  let url: string;
  const clients: pg.Client[] = [];
  const client = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on("error", () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    db = await PGlite.create();
    server = await startPgliteServer({ db });
    url = urlFor(server.port);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  });
  afterAll(async () => {
    await server.stop();
    await db.close();
  });

  it("runs the same concurrent workload with every result correct and no protocol error", async () => {
    const t0 = performance.now();
    const r = await workload(url);
    console.log("[startPgliteServer]", JSON.stringify(r), `${Math.round(performance.now() - t0)} ms`);
    expect(r.errors).toEqual({});
    expect(r.wrong).toBe(0);
    expect(r.ok).toBe(400);
    expect(r.committedRowsOk).toBe(true);
  });

  it("keeps a transaction exclusive: another connection waits for COMMIT, then sees the row", async () => {
    await db.exec("CREATE TABLE iso (v int)");
    const a = await client();
    const b = await client();
    await a.query("BEGIN");
    await a.query("INSERT INTO iso VALUES ($1)", [1]);
    const read = b.query("SELECT count(*)::int AS n FROM iso");
    const state = watch(read);
    await sleep(300);
    expect(state.settled).toBe(false); // b waits: the one backend is inside a's transaction
    expect((await a.query("SELECT count(*)::int AS n FROM iso")).rows[0].n).toBe(1);
    await a.query("COMMIT");
    expect((await read).rows[0].n).toBe(1);
  });

  it("a failed transaction ('E') stays exclusive until its ROLLBACK", async () => {
    const a = await client();
    const b = await client();
    await a.query("BEGIN");
    await expect(a.query("SELECT 1 / 0")).rejects.toThrow(/division by zero/);
    const read = b.query("SELECT $1::int AS x", [7]);
    const state = watch(read);
    await sleep(200);
    expect(state.settled).toBe(false);
    await expect(a.query("SELECT 1")).rejects.toThrow(/current transaction is aborted/);
    await a.query("ROLLBACK");
    expect((await read).rows[0].x).toBe(7);
  });

  it("rolls back a transaction whose client terminates (X) or drops the socket", async () => {
    await db.exec("CREATE TABLE gone (v int)");
    for (const how of ["end", "destroy"] as const) {
      const a = await client();
      const b = await client();
      await a.query("BEGIN");
      await a.query("INSERT INTO gone VALUES ($1)", [1]);
      const read = b.query("SELECT count(*)::int AS n FROM gone");
      await sleep(100);
      if (how === "end") await a.end();
      else (a as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
      expect((await read).rows[0].n, how).toBe(0);
      expect((await b.query("SELECT $1::int + $2::int AS x", [1, 2])).rows[0].x).toBe(3);
    }
    expect(db.isInTransaction()).toBe(false);
  });

  it("holds the lock across Parse/Bind + Flush until Sync", async () => {
    const raw = await rawClient(server.port);
    const b = await client();
    raw.send(raw.parse("SELECT $1::int + $2::int AS x"), raw.flush());
    await raw.until("1"); // ParseComplete, no ReadyForQuery: the cycle is open
    const read = b.query("SELECT $1::text AS y", ["other"]); // would replace the unnamed statement
    const state = watch(read);
    await sleep(200);
    expect(state.settled).toBe(false);
    raw.send(raw.bind(["40", "2"]), raw.execute(), raw.sync());
    const msgs = await raw.until("Z");
    expect(msgs.map((m) => m.type).join("")).toBe("2DCZ"); // BindComplete, DataRow, CommandComplete, ReadyForQuery
    expect(msgs[1]!.body.subarray(6).toString()).toBe("42");
    expect((await read).rows[0].y).toBe("other");
    raw.socket.destroy();
  });

  it("ends an unfinished cycle of a client that disconnects, and drops its named statements", async () => {
    const raw = await rawClient(server.port);
    raw.send(raw.parse("SELECT $1::int AS x", "stmt1"), raw.bind(["1"], "stmt1"), raw.flush());
    await raw.until("2");
    raw.socket.destroy(); // mid-cycle, holding the lock, with a named statement
    const b = await client();
    expect((await b.query("SELECT $1::int AS x", [5])).rows[0].x).toBe(5);
    // The name is free again (one shared backend: it would otherwise collide).
    expect((await b.query({ name: "stmt1", text: "SELECT $1::text AS t", values: ["ok"] })).rows[0].t).toBe("ok");
    await b.query("DEALLOCATE stmt1");
  });

  it("disconnects a lock holder that stays silent longer than lockTimeoutMs, and rolls it back", async () => {
    const db2 = await PGlite.create();
    const s2 = await startPgliteServer({ db: db2, lockTimeoutMs: 500 });
    try {
      const a = new pg.Client({ connectionString: urlFor(s2.port) });
      const b = new pg.Client({ connectionString: urlFor(s2.port) });
      const aErrors: Error[] = [];
      a.on("error", (e) => aErrors.push(e));
      await a.connect();
      await b.connect();
      await a.query("CREATE TABLE t (v int)");
      await a.query("BEGIN");
      await a.query("INSERT INTO t VALUES (1)");
      const t0 = performance.now();
      const n = (await b.query("SELECT count(*)::int AS n FROM t")).rows[0].n;
      const waited = performance.now() - t0;
      expect(n).toBe(0);
      expect(waited).toBeGreaterThan(400);
      expect(waited).toBeLessThan(5000);
      await sleep(50);
      expect(aErrors.map((e) => e.message).join()).toMatch(/held the database lock/);
      await b.end();
      await a.end().catch(() => undefined);
    } finally {
      await s2.stop();
      await db2.close();
    }
  });

  it("streams large results (beyond PGlite's 1 MB receive buffer)", async () => {
    const c = await client();
    const big = await c.query("SELECT repeat('x', 3000000) AS s");
    expect(big.rows[0].s.length).toBe(3_000_000);
    const many = await c.query("SELECT g, md5(g::text) AS h FROM generate_series(1, 50000) g");
    expect(many.rows.length).toBe(50_000);
    expect(many.rows[49_999].g).toBe(50_000);
  });

  it("answers 'N' to SSLRequest and rejects clients beyond maxConnections", async () => {
    const raw = await rawClient(server.port, { sslRequest: true }); // then a plain startup on the same socket
    expect(raw.sslAnswer).toBe("N");
    raw.send(raw.query("SELECT 'plain'"));
    expect((await raw.until("Z")).map((m) => m.type).join("")).toBe("TDCZ");
    raw.socket.destroy();
    const db3 = await PGlite.create();
    const s3 = await startPgliteServer({ db: db3, maxConnections: 1 });
    try {
      const one = new pg.Client({ connectionString: urlFor(s3.port) });
      await one.connect();
      const two = new pg.Client({ connectionString: urlFor(s3.port) });
      two.on("error", () => undefined);
      await expect(two.connect()).rejects.toThrow(/too many clients/);
      await one.end();
    } finally {
      await s3.stop();
      await db3.close();
    }
  });

  it("stop() closes connected clients, including one inside a transaction", async () => {
    const db4 = await PGlite.create();
    const s4 = await startPgliteServer({ db: db4 });
    const a = new pg.Client({ connectionString: urlFor(s4.port) });
    a.on("error", () => undefined);
    await a.connect();
    await a.query("BEGIN");
    await s4.stop();
    expect(db4.isInTransaction()).toBe(false);
    await expect(a.query("SELECT 1")).rejects.toThrow();
    await db4.close();
  });

  it("`prisma migrate deploy` applies every migration through it", { timeout: 180_000 }, async () => {
    const db5 = await PGlite.create();
    const s5 = await startPgliteServer({ db: db5 });
    try {
      const t0 = performance.now();
      const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: urlFor(s5.port), PRISMA_HIDE_UPDATE_MESSAGE: "1" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (d) => (out += String(d)));
        child.stderr.on("data", (d) => (out += String(d)));
        child.on("error", reject);
        child.on("exit", (code) => resolve({ code, out }));
      });
      console.log(`[prisma migrate deploy] exit ${code} in ${Math.round(performance.now() - t0)} ms`);
      expect(code, out).toBe(0);
      const dirs = readdirSync(path.join(ROOT, "prisma", "migrations"), { withFileTypes: true }).filter((d) => d.isDirectory());
      const applied = await db5.query<{ n: number }>("SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL");
      expect(applied.rows[0]?.n).toBe(dirs.length);
    } finally {
      await s5.stop();
      await db5.close();
    }
  });
});
