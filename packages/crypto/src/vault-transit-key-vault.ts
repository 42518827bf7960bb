/**
 * VaultTransitKeyVault: workspace keys as HashiCorp Vault (or OpenBao) transit keys, one per
 * workspace, named `<prefix><tenantId>`. The key never leaves Vault: we send it the master-wrapped
 * data key to encrypt or decrypt. Keys are created `derived` (aes256-gcm96), so every call carries a
 * context (our AAD) from which Vault derives the per-call key: a blob moved to another workspace or
 * data-key version does not decrypt. Destroying = `deletion_allowed` then DELETE, which Vault makes
 * final (unlike AWS KMS there is no waiting period, and the purge already waited its grace period).
 *
 * Spoken over Vault's HTTP API (/v1/<mount>/keys|encrypt|decrypt/<name>) with fetch: four endpoints
 * do not justify a client library, and node-vault has no typed transit API. The token needs
 * create/update on keys/<prefix>*, encrypt/<prefix>*, decrypt/<prefix>*, keys/<prefix>* /config and
 * delete on keys/<prefix>* (docs/runbooks/key-vault.md has the policy).
 */
import { CryptoError } from "./errors";
import { assertVaultTenantId, type WorkspaceKeyVault } from "./workspace-key-vault";

export type VaultTransitOptions = {
  /** e.g. https://vault.internal:8200 */
  address: string;
  token: string;
  /** Where the transit engine is mounted (default "transit"). */
  mount?: string;
  /** Enterprise / OpenBao namespace, sent as X-Vault-Namespace. */
  namespace?: string;
  /** Prefix of the per-workspace key names (default "ocsuite-ws-"). */
  keyPrefix?: string;
  timeoutMs?: number;
  /**
   * How often the token renews itself (POST /v1/auth/token/renew-self; default hourly, 0: never).
   * A periodic token (`vault token create -period=…`, the runbook's) expires unless renewed within
   * its period, which would stop every workspace's first read after a restart or a cache expiry.
   */
  renewEveryMs?: number;
  fetch?: typeof fetch;
};

type VaultReply = { status: number; body: { data?: Record<string, unknown>; errors?: string[] } };

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
// Vault refuses an empty derivation context: a fixed tag in front keeps every context non-empty.
const contextOf = (aad: Uint8Array): string => b64(Buffer.concat([Buffer.from("ocs-vt1:"), aad]));

// Vault answers 400 "encryption key not found" (and 404 on reads) for a key that does not exist.
const isMissingKey = (reply: VaultReply): boolean =>
  reply.status === 404 || (reply.status === 400 && (reply.body.errors ?? []).some((e) => /not found|no such key|does not exist/i.test(e)));

export class VaultTransitKeyVault implements WorkspaceKeyVault {
  readonly id = "vault";
  readonly #base: string;
  readonly #address: string;
  readonly #renewEveryMs: number;
  #renewedAt = 0;
  readonly #headers: Record<string, string>;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  /** Keys this process created or saw: creation is one round trip per workspace and process. */
  readonly #known = new Set<string>();

  constructor(options: VaultTransitOptions) {
    const mount = (options.mount ?? "transit").replace(/^\/+|\/+$/g, "");
    this.#address = options.address.replace(/\/+$/, "");
    this.#base = `${this.#address}/v1/${mount}`;
    this.#renewEveryMs = options.renewEveryMs ?? 3_600_000;
    this.#headers = { "content-type": "application/json", "x-vault-token": options.token, ...(options.namespace ? { "x-vault-namespace": options.namespace } : {}) };
    this.#prefix = options.keyPrefix ?? "ocsuite-ws-";
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#fetch = options.fetch ?? fetch;
  }

  #name(tenantId: string): string {
    return encodeURIComponent(`${this.#prefix}${assertVaultTenantId(tenantId)}`);
  }

  /** Renews the token in the background when due. Best effort: a token that is not renewable (a root or batch token) answers 400, which changes nothing. */
  #renewIfDue(): void {
    if (this.#renewEveryMs <= 0 || Date.now() - this.#renewedAt < this.#renewEveryMs) return;
    this.#renewedAt = Date.now();
    void this.#fetch(`${this.#address}/v1/auth/token/renew-self`, { method: "POST", headers: this.#headers, body: "{}", signal: AbortSignal.timeout(this.#timeoutMs) })
      .then((res) => res.arrayBuffer())
      .catch(() => undefined);
  }

  async #call(method: string, path: string, body?: unknown): Promise<VaultReply> {
    this.#renewIfDue();
    let res: Response;
    try {
      res = await this.#fetch(`${this.#base}/${path}`, {
        method,
        headers: this.#headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      throw new CryptoError("KEY_VAULT_UNAVAILABLE", `Vault transit (${method} ${path.split("/")[0]}) could not be reached`, { cause: err });
    }
    const text = await res.text();
    let parsed: VaultReply["body"] = {};
    try {
      parsed = text ? (JSON.parse(text) as VaultReply["body"]) : {};
    } catch {
      parsed = { errors: [text.slice(0, 200)] };
    }
    return { status: res.status, body: parsed };
  }

  #unavailable(what: string, reply: VaultReply): CryptoError {
    // Vault's error strings name keys and paths, never key material: safe for logs.
    return new CryptoError("KEY_VAULT_UNAVAILABLE", `Vault transit ${what} failed: HTTP ${reply.status} ${(reply.body.errors ?? []).join("; ")}`.trim());
  }

  async #ensureKey(tenantId: string): Promise<void> {
    const name = this.#name(tenantId);
    if (this.#known.has(name)) return;
    // Creating an existing key is a no-op in Vault, so concurrent creators cannot clash.
    const reply = await this.#call("POST", `keys/${name}`, { type: "aes256-gcm96", derived: true });
    if (reply.status >= 300) throw this.#unavailable(`creating the key of workspace ${tenantId}`, reply);
    this.#known.add(name);
  }

  async encrypt(tenantId: string, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    await this.#ensureKey(tenantId);
    const reply = await this.#call("POST", `encrypt/${this.#name(tenantId)}`, { plaintext: b64(plaintext), context: contextOf(aad) });
    const ciphertext = reply.body.data?.ciphertext;
    if (reply.status >= 300 || typeof ciphertext !== "string") throw this.#unavailable(`encrypting for workspace ${tenantId}`, reply);
    return Buffer.from(ciphertext, "utf8");
  }

  async decrypt(tenantId: string, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    const reply = await this.#call("POST", `decrypt/${this.#name(tenantId)}`, { ciphertext: Buffer.from(ciphertext).toString("utf8"), context: contextOf(aad) });
    if (isMissingKey(reply)) {
      throw new CryptoError("KEY_DESTROYED", `workspace ${tenantId} has no key in Vault transit: it was destroyed by the workspace purge (or this is another Vault or mount)`);
    }
    if (reply.status === 400) {
      throw new CryptoError("DECRYPT_FAILED", `Vault transit could not decrypt for workspace ${tenantId} (wrong workspace, key version or tampered row)`);
    }
    const plaintext = reply.body.data?.plaintext;
    if (reply.status >= 300 || typeof plaintext !== "string") throw this.#unavailable(`decrypting for workspace ${tenantId}`, reply);
    return Buffer.from(plaintext, "base64");
  }

  async destroy(tenantId: string): Promise<boolean> {
    const name = this.#name(tenantId);
    this.#known.delete(name);
    const config = await this.#call("POST", `keys/${name}/config`, { deletion_allowed: true });
    if (isMissingKey(config)) return false;
    if (config.status >= 300) throw this.#unavailable(`allowing deletion of the key of workspace ${tenantId}`, config);
    const removed = await this.#call("DELETE", `keys/${name}`);
    if (removed.status >= 300 && !isMissingKey(removed)) throw this.#unavailable(`deleting the key of workspace ${tenantId}`, removed);
    return true;
  }

  async has(tenantId: string): Promise<boolean> {
    const reply = await this.#call("GET", `keys/${this.#name(tenantId)}`);
    if (isMissingKey(reply)) return false;
    if (reply.status >= 300) throw this.#unavailable(`reading the key of workspace ${tenantId}`, reply);
    return true;
  }
}

