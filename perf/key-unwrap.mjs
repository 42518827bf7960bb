#!/usr/bin/env node
// Cost of one data-key unwrap (a key-cache miss: first use of a workspace's key in a process, or
// after KEY_CACHE_TTL_SECONDS) with the workspace key vault of ADR 0016. Run from the repo root:
//   node --import tsx perf/key-unwrap.mjs [unwraps=2000] [rounds=5]
// Baseline in the same run, interleaved per round: the master key ring alone (what unwrapping cost
// before the vault). Then the layered ring on each backend: key files (FileKeyVault, one file read
// per unwrap, in a temporary folder) and Vault transit (VaultTransitKeyVault over HTTP to the local
// server speaking Vault's API that the tests use: loopback, so it measures our client and the
// protocol, not a real Vault's latency or its network). `unwraps` workspaces, one data key each.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { EnvKeyRing, FileKeyVault, VaultTransitKeyVault, WorkspaceKeyRing } from "../packages/crypto/src/index.ts";
import { startVaultTransitServer } from "../packages/crypto/src/vault-transit-test-server.ts";
import { median, p95 } from "./lib/bench.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const UNWRAPS = Number(args[0] ?? 2000);
const ROUNDS = Number(args[1] ?? 5);

const master = new EnvKeyRing(`1:${randomBytes(32).toString("base64")}`);
const server = await startVaultTransitServer();
const rings = {
  "master keys only (baseline)": master,
  "+ key file vault": new WorkspaceKeyRing(master, new FileKeyVault(mkdtempSync(path.join(os.tmpdir(), "ocs-perf-unwrap-")))),
  "+ Vault transit (loopback)": new WorkspaceKeyRing(master, new VaultTransitKeyVault({ address: server.address, token: server.token })),
};

const tenants = Array.from({ length: UNWRAPS }, (_, i) => `perf_${i}_${randomBytes(4).toString("hex")}`);
const wrapped = {};
for (const [name, ring] of Object.entries(rings)) {
  wrapped[name] = [];
  for (const tenantId of tenants) wrapped[name].push(await ring.wrap(randomBytes(32), { tenantId, dataKeyVersion: 1 }));
}

const samples = Object.fromEntries(Object.keys(rings).map((n) => [n, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, ring] of Object.entries(rings)) {
    for (let i = 0; i < UNWRAPS; i++) {
      const t0 = process.hrtime.bigint();
      (await ring.unwrap(wrapped[name][i], { tenantId: tenants[i], dataKeyVersion: 1 })).fill(0);
      samples[name].push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
}
await server.close();

const base = median(samples["master keys only (baseline)"]);
console.log(`data-key unwrap, ${UNWRAPS} workspaces × ${ROUNDS} rounds, ${os.cpus().length} cores, Node ${process.version}`);
console.log("| key ring | median µs | p95 µs | × baseline |");
console.log("|---|---|---|---|");
for (const [name, xs] of Object.entries(samples)) {
  console.log(`| ${name} | ${median(xs).toFixed(1)} | ${p95(xs).toFixed(1)} | ${(median(xs) / base).toFixed(1)} |`);
}
