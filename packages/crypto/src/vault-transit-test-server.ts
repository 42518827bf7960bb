/**
 * A local HTTP server speaking the part of HashiCorp Vault's transit API that VaultTransitKeyVault
 * uses (keys, config, delete, encrypt, decrypt), for tests: Vault itself is not installable on these
 * machines (notes/toolchain.md), so this is the mock at the edge, as a real server on a real port.
 * Semantics follow Vault's: derived keys need a context, a missing key is "encryption key not found"
 * (400), DELETE needs deletion_allowed, a wrong token is 403, ciphertexts are "vault:v<N>:<base64>".
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type TransitKey = { derived: boolean; versions: Map<number, Buffer>; latest: number; deletionAllowed: boolean };

export type VaultTransitTestServer = {
  address: string;
  token: string;
  keys: Map<string, TransitKey>;
  /** Calls seen, "METHOD path", for assertions. */
  calls: string[];
  /** Token renewals (POST /v1/auth/token/renew-self) seen. */
  renewals: () => number;
  /** While set, every request answers 503 (a sealed or unreachable Vault). */
  setDown(down: boolean): void;
  close(): Promise<void>;
};

const send = (res: ServerResponse, status: number, body?: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body === undefined ? "" : JSON.stringify(body));
};

const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
};

const callKey = (key: TransitKey, version: number, context: string | undefined): Buffer | null => {
  const base = key.versions.get(version);
  if (!base) return null;
  if (!key.derived) return base;
  return Buffer.from(hkdfSync("sha256", base, Buffer.from(context ?? "", "base64"), "transit-derived", 32));
};

export const startVaultTransitServer = async (mount = "transit"): Promise<VaultTransitTestServer> => {
  const token = `hvs.${randomBytes(12).toString("hex")}`;
  const keys = new Map<string, TransitKey>();
  const calls: string[] = [];
  let down = false;
  let renewals = 0;
  const create = (name: string, derived: boolean) => {
    if (!keys.has(name)) keys.set(name, { derived, versions: new Map([[1, randomBytes(32)]]), latest: 1, deletionAllowed: false });
    return keys.get(name)!;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://vault");
      calls.push(`${req.method} ${url.pathname}`);
      if (down) return send(res, 503, { errors: ["Vault is sealed"] });
      if (req.headers["x-vault-token"] !== token) return send(res, 403, { errors: ["permission denied"] });
      if (req.method === "POST" && url.pathname === "/v1/auth/token/renew-self") {
        renewals += 1;
        return send(res, 200, { auth: { client_token: token, renewable: true, lease_duration: 2_764_800 } });
      }
      const match = new RegExp(`^/v1/${mount}/(keys|encrypt|decrypt)/([^/]+)(/config)?$`).exec(url.pathname);
      if (!match) return send(res, 404, { errors: [] });
      const [, op, rawName, config] = match;
      const name = decodeURIComponent(rawName!);
      const body = req.method === "POST" ? await readJson(req) : {};
      const context = typeof body.context === "string" ? body.context : undefined;
      const key = keys.get(name);
      if (op === "keys" && config) {
        if (!key) return send(res, 400, { errors: ["no such key"] });
        key.deletionAllowed = body.deletion_allowed === true;
        return send(res, 204);
      }
      if (op === "keys" && req.method === "POST") {
        create(name, body.derived === true);
        return send(res, 204);
      }
      if (op === "keys" && req.method === "GET") {
        return key ? send(res, 200, { data: { name, type: "aes256-gcm96", derived: key.derived, latest_version: key.latest, deletion_allowed: key.deletionAllowed } }) : send(res, 404, { errors: [] });
      }
      if (op === "keys" && req.method === "DELETE") {
        if (key && !key.deletionAllowed) return send(res, 400, { errors: ["deletion is not allowed for this key"] });
        keys.delete(name);
        return send(res, 204);
      }
      if (op === "encrypt") {
        // Vault upserts a missing key on encrypt (derived when a context is given).
        const k = key ?? create(name, context !== undefined);
        if (k.derived && !context) return send(res, 400, { errors: ["missing 'context' for key derivation; the key was created using a derived key"] });
        const nonce = randomBytes(12);
        const cipher = createCipheriv("aes-256-gcm", callKey(k, k.latest, context)!, nonce);
        const sealed = Buffer.concat([nonce, cipher.update(Buffer.from(String(body.plaintext ?? ""), "base64")), cipher.final(), cipher.getAuthTag()]);
        return send(res, 200, { data: { ciphertext: `vault:v${k.latest}:${sealed.toString("base64")}`, key_version: k.latest } });
      }
      if (!key) return send(res, 400, { errors: ["encryption key not found"] });
      if (key.derived && !context) return send(res, 400, { errors: ["missing 'context' for key derivation; the key was created using a derived key"] });
      const parts = /^vault:v(\d+):(.+)$/.exec(String(body.ciphertext ?? ""));
      const material = parts ? callKey(key, Number(parts[1]), context) : null;
      if (!parts || !material) return send(res, 400, { errors: ["invalid ciphertext: no prefix or unknown key version"] });
      const blob = Buffer.from(parts[2]!, "base64");
      try {
        const decipher = createDecipheriv("aes-256-gcm", material, blob.subarray(0, 12));
        decipher.setAuthTag(blob.subarray(blob.length - 16));
        const plain = Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]);
        return send(res, 200, { data: { plaintext: plain.toString("base64") } });
      } catch {
        return send(res, 400, { errors: ["cipher: message authentication failed"] });
      }
    })().catch((err: unknown) => send(res, 500, { errors: [String(err)] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    token,
    keys,
    calls,
    renewals: () => renewals,
    setDown: (value) => {
      down = value;
    },
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
};
