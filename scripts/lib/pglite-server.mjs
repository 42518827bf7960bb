// A PostgreSQL wire-protocol server in front of ONE PGlite instance.
//
// Replaces the server loop of @electric-sql/pglite-socket (see
// docs/adr/0008-pglite-server.md). PGlite is a single Postgres backend session;
// every TCP client shares it. pglite-socket interleaves the messages of
// different clients whenever PGlite is not inside a transaction block, which
// breaks the extended query protocol (Parse/Bind/Describe/Execute/Sync with the
// unnamed statement and portal): "bind message supplies 4 parameters, but
// prepared statement "" requires 3", "portal "" does not exist", missing rows.
//
// The rule here: a client takes a global lock (PGlite's own runExclusive
// mutex, FIFO) as soon as it has a complete message to execute, and keeps it
// until PGlite's output ends with ReadyForQuery 'I' — i.e. after a Sync or a
// simple Query, outside any transaction block. While PGlite reports 'T' (in a
// transaction) or 'E' (failed transaction), or no ReadyForQuery at all (a cycle
// still open: Parse/Bind without Sync, Flush, COPY), the client keeps the lock
// and every other client waits. A lock holder that sends nothing for
// `lockTimeoutMs` is disconnected (like idle_in_transaction_session_timeout);
// a client that goes away while holding the lock is rolled back.
import net from "node:net";

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_MESSAGE = 1 << 30;

const T_QUERY = 0x51; // 'Q'
const T_SYNC = 0x53; // 'S'
const T_PARSE = 0x50; // 'P'
const T_CLOSE = 0x43; // 'C'
const T_TERMINATE = 0x58; // 'X'
const T_READY = 0x5a; // 'Z'
const STATUS_IDLE = 0x49; // 'I'

/** @param {number} type @param {Buffer} body */
const frame = (type, body) => {
  const b = Buffer.alloc(5 + body.length);
  b[0] = type;
  b.writeInt32BE(4 + body.length, 1);
  body.copy(b, 5);
  return b;
};
const cstr = (/** @type {string} */ s) => Buffer.from(`${s}\0`, "utf8");
const SYNC = frame(T_SYNC, Buffer.alloc(0));
const COPY_FAIL = frame(0x66, cstr("client disconnected")); // 'f', ignored outside COPY
const queryMsg = (/** @type {string} */ sql) => frame(T_QUERY, cstr(sql));
const closeStatementMsg = (/** @type {string} */ name) => frame(T_CLOSE, Buffer.concat([Buffer.from("S"), cstr(name)]));
/** ErrorResponse with severity FATAL. */
const fatalMsg = (/** @type {string} */ code, /** @type {string} */ message) =>
  frame(0x45, Buffer.concat([Buffer.from("S"), cstr("FATAL"), Buffer.from("V"), cstr("FATAL"), Buffer.from("C"), cstr(code), Buffer.from("M"), cstr(message), Buffer.from([0])]));

/**
 * Follows the backend message stream across chunks, remembering the type of
 * the last complete message and the status byte of the last ReadyForQuery.
 */
class BackendTracker {
  constructor() {
    this.hdr = Buffer.alloc(5);
    this.hdrLen = 0;
    this.remaining = 0;
    this.type = 0;
    this.status = 0;
  }
  /** @param {Uint8Array} chunk */
  feed(chunk) {
    let off = 0;
    while (off < chunk.length) {
      if (this.remaining === 0) {
        const n = Math.min(5 - this.hdrLen, chunk.length - off);
        this.hdr.set(chunk.subarray(off, off + n), this.hdrLen);
        this.hdrLen += n;
        off += n;
        if (this.hdrLen === 5) {
          this.type = this.hdr[0] ?? 0;
          this.remaining = this.hdr.readInt32BE(1) - 4;
          this.hdrLen = 0;
        }
      } else {
        const n = Math.min(this.remaining, chunk.length - off);
        if (this.type === T_READY) this.status = chunk[off + n - 1] ?? 0;
        this.remaining -= n;
        off += n;
      }
    }
  }
  /** True when the output so far ends with a complete ReadyForQuery 'I'. */
  get idle() {
    return this.type === T_READY && this.status === STATUS_IDLE && this.remaining === 0 && this.hdrLen === 0;
  }
  /** 'I' | 'T' | 'E' | '' (no ReadyForQuery last) */
  get lastStatus() {
    return this.type === T_READY && this.remaining === 0 && this.hdrLen === 0 ? String.fromCharCode(this.status) : "";
  }
}

/**
 * @typedef {{
 *   execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<void>;
 *   runExclusive<T>(fn: () => Promise<T>): Promise<T>;
 *   waitReady: Promise<void>;
 * }} PgliteLike
 */

/**
 * Serve a PGlite instance over TCP with per-protocol-cycle exclusivity.
 * @param {{ db: PgliteLike, host?: string, port?: number, maxConnections?: number, lockTimeoutMs?: number, log?: (msg: string) => void }} options
 * @returns {Promise<{ host: string, port: number, stop(): Promise<void>, stats(): { connections: number } }>}
 */
export async function startPgliteServer({ db, host = "127.0.0.1", port = 0, maxConnections = 100, lockTimeoutMs = 30_000, log = () => {} }) {
  await db.waitReady;

  /** Take PGlite's query mutex (FIFO); resolves with the function that releases it. */
  const acquire = () =>
    /** @type {Promise<() => void>} */ (
      new Promise((resolve, reject) => {
        db.runExclusive(() => new Promise((release) => resolve(() => release(undefined)))).catch(reject);
      })
    );

  /** Run raw protocol bytes; the output goes to `sink` chunk by chunk (copied). */
  const exec = async (/** @type {Buffer} */ bytes, /** @type {(b: Buffer) => void} */ sink) => {
    const tracker = new BackendTracker();
    await db.execProtocolRawStream(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), {
      onRawData: (data) => {
        tracker.feed(data);
        sink(Buffer.from(data)); // copies out of the wasm heap
      },
    });
    return tracker;
  };

  /** @type {Set<Connection>} */
  const connections = new Set();
  let nextId = 1;

  class Connection {
    /** @param {net.Socket} socket */
    constructor(socket) {
      this.id = nextId++;
      this.socket = socket;
      this.buf = Buffer.alloc(0);
      this.started = false;
      this.closed = false;
      this.pumping = false;
      /** @type {null | (() => void)} */
      this.release = null; // set while this connection holds the lock
      /** @type {NodeJS.Timeout | undefined} */
      this.timer = undefined;
      /** Named prepared statements this client created (they outlive it in the shared backend). */
      this.statements = new Set();
      /** @type {() => void} */
      this.resolveDone = () => {};
      this.done = new Promise((r) => (this.resolveDone = () => r(undefined)));
      socket.setNoDelay(true);
      socket.on("data", (d) => {
        this.clearTimer();
        this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
        void this.pump();
      });
      socket.on("error", (err) => log(`#${this.id} socket error: ${err.message}`));
      socket.on("close", () => this.close());
    }

    write(/** @type {Buffer} */ b) {
      if (!this.closed && this.socket.writable) this.socket.write(b);
    }

    clearTimer() {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
    }

    /** Terminate the connection with a FATAL error sent first. */
    fail(/** @type {string} */ code, /** @type {string} */ message) {
      log(`#${this.id} ${message}`);
      this.write(fatalMsg(code, message));
      this.socket.end(); // flush the error, then FIN
      setTimeout(() => this.socket.destroy(), 1000).unref();
      this.close(false);
    }

    close(destroy = true) {
      if (this.closed) return;
      this.closed = true;
      this.clearTimer();
      if (destroy) this.socket.destroy();
      void this.pump(); // runs the cleanup (now, or when the current step ends)
    }

    /** Next complete frontend message, or null. Startup-phase messages have no type byte. */
    takeMessage() {
      if (!this.started) {
        if (this.buf.length < 8) return null;
        const len = this.buf.readInt32BE(0);
        if (len < 8 || len > 10_000) return { error: "invalid startup packet length" };
        if (this.buf.length < len) return null;
        const msg = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        return { msg };
      }
      if (this.buf.length < 5) return null;
      const len = this.buf.readInt32BE(1);
      if (len < 4 || len > MAX_MESSAGE) return { error: "invalid message length" };
      if (this.buf.length < 1 + len) return null;
      const msg = this.buf.subarray(0, 1 + len);
      this.buf = this.buf.subarray(1 + len);
      return { msg };
    }

    /** The single worker loop of this connection: parse, lock, execute, release. */
    async pump() {
      if (this.pumping) return;
      this.pumping = true;
      try {
        while (!this.closed) {
          if (!this.started) {
            const m = this.takeMessage();
            if (!m) break;
            if (!m.msg) {
              this.fail("08P01", m.error ?? "protocol error");
              break;
            }
            const code = m.msg.readInt32BE(4);
            if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
              this.write(Buffer.from("N"));
              continue;
            }
            if (code === CANCEL_REQUEST) {
              log(`#${this.id} CancelRequest ignored (not supported)`);
              this.close();
              break;
            }
            if (code !== PROTOCOL_3) {
              this.fail("0A000", `unsupported frontend protocol ${code >> 16}.${code & 0xffff}`);
              break;
            }
            // The startup packet goes to PGlite (it answers AuthenticationOk,
            // ParameterStatus, BackendKeyData, ReadyForQuery), under the lock.
            await this.run([m.msg]);
            this.started = true;
            continue;
          }
          // A batch: complete messages up to and including the next Sync or Query.
          /** @type {Buffer[]} */
          const batch = [];
          let terminate = false;
          for (;;) {
            const m = this.takeMessage();
            if (!m) break;
            if (!m.msg) {
              this.fail("08P01", m.error ?? "protocol error");
              break;
            }
            const type = m.msg[0];
            if (type === T_TERMINATE) {
              terminate = true;
              break;
            }
            this.track(m.msg);
            batch.push(m.msg);
            if (type === T_SYNC || type === T_QUERY) break;
          }
          if (this.closed) break;
          if (batch.length) await this.run(batch);
          if (terminate) {
            this.socket.end();
            this.close();
            break;
          }
          if (!batch.length) break; // wait for more bytes
        }
        if (this.closed) await this.cleanup();
        else if (this.release && lockTimeoutMs > 0 && !this.timer) {
          // Holding the lock while waiting for the client: bounded.
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.fail("25P03", `terminating connection: it held the database lock for ${lockTimeoutMs} ms without sending anything (open transaction or unfinished extended-query cycle)`);
          }, lockTimeoutMs);
          this.timer.unref();
        }
      } catch (err) {
        log(`#${this.id} error: ${/** @type {Error} */ (err).stack ?? err}`);
        this.write(fatalMsg("XX000", `pglite server: ${/** @type {Error} */ (err).message}`));
        this.closed = true;
        this.socket.destroy();
        await this.cleanup().catch(() => undefined);
      } finally {
        this.pumping = false;
      }
    }

    /** Remember named prepared statements (Parse 'P' name / Close 'C' 'S' name). */
    track(/** @type {Buffer} */ msg) {
      if (msg[0] === T_PARSE) {
        const end = msg.indexOf(0, 5);
        const name = msg.toString("utf8", 5, end);
        if (name) this.statements.add(name);
      } else if (msg[0] === T_CLOSE && msg[5] === 0x53) {
        const end = msg.indexOf(0, 6);
        this.statements.delete(msg.toString("utf8", 6, end));
      }
    }

    /** Execute messages while holding the lock; release it when PGlite is idle at a cycle end. */
    async run(/** @type {Buffer[]} */ batch) {
      if (!this.release) this.release = await acquire();
      if (this.closed) return; // gone while waiting: cleanup() will run with the lock held
      const tracker = await exec(batch.length === 1 ? /** @type {Buffer} */ (batch[0]) : Buffer.concat(batch), (b) => this.write(b));
      if (tracker.idle) this.unlock();
    }

    unlock() {
      const release = this.release;
      this.release = null;
      release?.();
    }

    /** The client is gone: end its cycle, roll back its transaction, drop its named statements. */
    async cleanup() {
      this.clearTimer();
      try {
        if (this.release) {
          // CopyFail ends a COPY FROM STDIN (ignored otherwise); Sync ends an
          // extended-query cycle (and an implicit transaction); then ROLLBACK
          // if a transaction block is still open.
          const t = await exec(Buffer.concat([COPY_FAIL, SYNC]), () => {});
          if (t.lastStatus !== "I") {
            log(`#${this.id} disconnected inside a transaction: rolling back`);
            await exec(queryMsg("ROLLBACK"), () => {});
          }
        }
        if (this.statements.size) {
          if (!this.release) this.release = await acquire();
          await exec(Buffer.concat([...[...this.statements].map(closeStatementMsg), SYNC]), () => {});
          this.statements.clear();
        }
      } finally {
        this.unlock();
        connections.delete(this);
        this.resolveDone();
      }
    }
  }

  /** Every open socket, accepted or rejected, so stop() can close them all. */
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    if (connections.size >= maxConnections) {
      socket.on("error", () => {});
      socket.end(fatalMsg("53300", "sorry, too many clients already"));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const conn = new Connection(socket);
    connections.add(conn);
    log(`#${conn.id} connected from ${socket.remoteAddress}:${socket.remotePort}`);
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(undefined);
    });
  });
  const address = /** @type {net.AddressInfo} */ (server.address());
  log(`listening on ${host}:${address.port}`);

  return {
    host,
    port: address.port,
    stats: () => ({ connections: connections.size }),
    async stop() {
      const closed = new Promise((r) => server.close(() => r(undefined)));
      const all = [...connections];
      for (const c of all) c.close();
      for (const s of sockets) s.destroy();
      await Promise.all(all.map((c) => c.done));
      await closed;
    },
  };
}

/**
 * A PGlite instance with the extensions the app uses: pgvector (`vector`), so
 * the embedded database supports vector retrieval (the app creates the
 * extension and its table on first use; src/server/services/knowledge/vector-store.ts).
 * Same options as PGlite.create (dataDir, …); extra `extensions` are merged in.
 * @param {Record<string, any>} [options]
 */
export async function createPglite(options = {}) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { vector } = await import("@electric-sql/pglite-pgvector");
  return PGlite.create({ ...options, extensions: { vector, ...(options.extensions ?? {}) } });
}
