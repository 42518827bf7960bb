/*
 * The Kubernetes kit (ops/k8s/) and vercel.json, held to the code they deploy.
 *
 * Every manifest is built into its kubernetes-models / @kubernetes-models/keda model and
 * validated against the API schema (types, required fields, formats; the schemas accept unknown
 * fields, as the API server's do, so the checks below name the fields that matter). Then: probes
 * and ports point at what the web app and the worker really serve (the worker is started and
 * probed; the health route is called), every variable is one src/env.js declares and every
 * secret comes from the Secret by reference, selectors match labels, the HPA and the
 * ScaledObject target the right Deployments, PDBs never block a drain at the minimum replica
 * count, the KEDA query names only catalogued series and is evaluated by the real promtool,
 * its threshold and clamp follow from the Inngest functions' own concurrency limits, and the
 * grace periods outlast the longest step. vercel.json's function paths must match route files.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { globSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { ScaledObject, type IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { Deployment, type IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IProbe } from "kubernetes-models/v1/Probe";
import { Service, type IService } from "kubernetes-models/v1/Service";
import { PodDisruptionBudget, type IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { functions } from "../../inngest/functions";
import { promqlNames } from "../../scripts/ops/promql-names";
import { METRICS, prometheusLabel, prometheusName, type MetricSpec } from "../../src/server/infra/metric-catalog";
import { CHAT_ROUTE } from "../../src/server/http/chat-route";
import { DOCUMENTS_ROUTE } from "../../src/server/http/documents-route";
import { OPS_DIR, REPO_ROOT, run } from "./ops-files";

const K8S_DIR = path.join(OPS_DIR, "k8s");
const read = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), "utf8");

// ── The manifests ─────────────────────────────────────────────────────────────
type TDoc = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> } };
type TKustomization = {
  resources: string[];
  configMapGenerator?: { name: string; literals?: string[] }[];
  images?: { name: string; newName?: string; newTag?: string }[];
};

const manifestFiles = readdirSync(K8S_DIR)
  .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .sort();
const docsOf = (file: string): TDoc[] =>
  parseAllDocuments(readFileSync(path.join(K8S_DIR, file), "utf8")).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return d.toJS() as TDoc;
  });
const all = manifestFiles.flatMap((file) => docsOf(file).map((doc) => ({ file, doc })));
const one = <T>(kind: string, name: string): T => {
  const found = all.filter((m) => m.doc.kind === kind && m.doc.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!.doc as unknown as T;
};
const kustomization = docsOf("kustomization.yaml")[0] as unknown as TKustomization;

const web = one<IDeployment>("Deployment", "ocsuite-web");
const worker = one<IDeployment>("Deployment", "ocsuite-worker");
const webService = one<IService>("Service", "ocsuite-web");
const workerService = one<IService>("Service", "ocsuite-worker");
const hpa = one<IHorizontalPodAutoscaler>("HorizontalPodAutoscaler", "ocsuite-web");
const scaledObject = one<IScaledObject>("ScaledObject", "ocsuite-worker");
const webPdb = one<IPodDisruptionBudget>("PodDisruptionBudget", "ocsuite-web");
const workerPdb = one<IPodDisruptionBudget>("PodDisruptionBudget", "ocsuite-worker");

const container = (d: IDeployment): IContainer => {
  const cs = d.spec!.template.spec!.containers;
  expect(cs, `${d.metadata!.name} runs one container`).toHaveLength(1);
  return cs[0]!;
};
const probes = (c: IContainer) => ({ startup: c.startupProbe, readiness: c.readinessProbe, liveness: c.livenessProbe }) as Record<string, IProbe | undefined>;
const portNumber = (c: IContainer, port: number | string | undefined) => (typeof port === "number" ? port : c.ports?.find((p) => p.name === port)?.containerPort);

// ── What the code says ────────────────────────────────────────────────────────
const ENV_JS = read("src/env.js");
/** Variables src/env.js declares (the server block and the Inngest block it spreads in). */
const envJsVariables = new Set([...ENV_JS.matchAll(/^ {2,4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
/** Declared with neither .optional() nor a default: the app refuses to start without them. */
const requiredEnvJsVariables = (() => {
  const lines = ENV_JS.split("\n").filter((l) => !l.trim().startsWith("//"));
  const body = lines.join("\n");
  const keys = [...body.matchAll(/^ {2,4}([A-Z][A-Z0-9_]*):/gm)];
  return keys
    .filter((m, i) => {
      const decl = body.slice(m.index, keys[i + 1]?.index ?? body.indexOf("\n  },", m.index));
      // A schema kept in a const above (STORAGE_REGIONS: storageRegions) is judged by that const's body.
      const ref = /^ {2,4}[A-Z][A-Z0-9_]*:\s*([a-z]\w*),/.exec(decl)?.[1];
      const schema = ref ? (new RegExp(`const ${ref} = ([\\s\\S]*?);\\n`).exec(body)?.[1] ?? decl) : decl;
      return !/\.optional\(|\.default\(|positiveInt\(|:\s*bool,/.test(schema);
    })
    .map((m) => m[1]!);
})();
const defaultOf = (name: string) => new RegExp(`${name}: [^\\n]*\\.default\\(("?)([^")]+)\\1\\)`).exec(ENV_JS)?.[2];
/** The gateway's total timeout for one model call: the longest a chat stream or a job step waits on a model. */
const GATEWAY_TIMEOUT_S = Number(/const DEFAULT_TIMEOUT_MS = ([\d_]+);/.exec(read("src/server/services/llm/gateway.ts"))![1]!.replaceAll("_", "")) / 1000;

/** Platform settings a container sets that are not application configuration (src/env.js reads none of them). */
const PLATFORM_VARIABLES: Record<string, string> = {
  NODE_OPTIONS: "Node's own flags (heap cap, the peer-address preload)",
  NEXT_TELEMETRY_DISABLED: "Next.js's telemetry switch",
};
/** Production needs these whether or not src/env.js can default them (README's configuration table). */
const PRODUCTION_VARIABLES = [
  "NODE_ENV",
  "DATABASE_URL",
  "AUTH_SECRET",
  "OCSUITE_MASTER_KEYS",
  "METRICS_TOKEN",
  "REDIS_URL",
  "SMTP_URL",
  "INNGEST_SIGNING_KEY",
  "INNGEST_EVENT_KEY",
  "OCSUITE_KEY_VAULT",
  "VAULT_ADDR",
  "VAULT_TOKEN",
  "APP_URL",
  "STORAGE_DRIVER",
  "S3_BUCKET",
  "KNOWLEDGE_INGEST_CONCURRENCY",
];
/** Values that must only ever come from the Secret. */
const SECRET_VARIABLES = [
  "DATABASE_URL",
  "AUTH_SECRET",
  "OCSUITE_MASTER_KEYS",
  "VAULT_TOKEN",
  "METRICS_TOKEN",
  "REDIS_URL",
  "SMTP_URL",
  "INNGEST_SIGNING_KEY",
  "INNGEST_SIGNING_KEY_FALLBACK",
  "INNGEST_EVENT_KEY",
  "AUTH_OIDC_CLIENT_ID",
  "AUTH_OIDC_CLIENT_SECRET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "EMBEDDINGS_API_KEY",
];
const configLiterals = new Map(
  (kustomization.configMapGenerator?.find((g) => g.name === "ocsuite-config")?.literals ?? []).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as const),
);

// ── Schema validation ─────────────────────────────────────────────────────────
describe("ops/k8s: every manifest validates against its Kubernetes or KEDA schema", () => {
  const models: Record<string, (doc: TDoc) => { validate(): void }> = {
    Deployment: (d) => new Deployment(d as unknown as IDeployment),
    Service: (d) => new Service(d as unknown as IService),
    HorizontalPodAutoscaler: (d) => new HorizontalPodAutoscaler(d as unknown as IHorizontalPodAutoscaler),
    PodDisruptionBudget: (d) => new PodDisruptionBudget(d as unknown as IPodDisruptionBudget),
    ScaledObject: (d) => new ScaledObject(d as unknown as IScaledObject),
  };

  it("the folder holds the expected kinds, each file listed once in kustomization.yaml", () => {
    expect(all.map((m) => `${m.doc.kind}/${m.doc.metadata.name}`).sort()).toEqual(
      [
        "Deployment/ocsuite-web",
        "Deployment/ocsuite-worker",
        "HorizontalPodAutoscaler/ocsuite-web",
        "PodDisruptionBudget/ocsuite-web",
        "PodDisruptionBudget/ocsuite-worker",
        "ScaledObject/ocsuite-worker",
        "Service/ocsuite-web",
        "Service/ocsuite-worker",
      ].sort(),
    );
    expect([...kustomization.resources].sort()).toEqual(manifestFiles);
    expect(new Set(kustomization.resources).size).toBe(kustomization.resources.length);
    // The Deployments' placeholder image is the one kustomize rewrites.
    for (const d of [web, worker]) expect(kustomization.images?.map((i) => i.name)).toContain(container(d).image);
  });

  it.each(all.map((m) => [`${m.file} (${m.doc.kind} ${m.doc.metadata.name})`, m.doc] as const))("%s", (_, doc) => {
    const model = models[doc.kind];
    expect(model, `no model for kind ${doc.kind}: add one to this test`).toBeDefined();
    expect(() => model!(doc).validate()).not.toThrow();
  });

  it("validation is not vacuous: a mistyped field is refused", () => {
    const broken = structuredClone(web) as unknown as { spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } } };
    broken.spec.template.spec.containers[0]!.ports[0]!.containerPort = "3000";
    expect(() => new Deployment(broken as unknown as IDeployment).validate()).toThrow(/containerPort must be integer/);
    const so = structuredClone(scaledObject) as unknown as { spec: { triggers: { metadata: Record<string, unknown> }[] } };
    so.spec.triggers[0]!.metadata.threshold = 4;
    expect(() => new ScaledObject(so as unknown as IScaledObject).validate()).toThrow(/threshold must be string/);
  });
});

// ── Labels, selectors, targets ────────────────────────────────────────────────
describe("ops/k8s: selectors, targets and disruption budgets", () => {
  const podLabels = (d: IDeployment) => d.spec!.template.metadata!.labels!;
  const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
    !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

  it("each Deployment's selector matches its own pod labels and not the other tier's", () => {
    for (const [d, other] of [
      [web, worker],
      [worker, web],
    ] as const) {
      expect(selects(d.spec!.selector.matchLabels, podLabels(d)), d.metadata!.name).toBe(true);
      expect(selects(d.spec!.selector.matchLabels, podLabels(other)), d.metadata!.name).toBe(false);
    }
  });

  it("each Service selects exactly its tier and forwards to a named container port", () => {
    for (const [svc, d, other] of [
      [webService, web, worker],
      [workerService, worker, web],
    ] as const) {
      expect(selects(svc.spec!.selector, podLabels(d)), svc.metadata!.name).toBe(true);
      expect(selects(svc.spec!.selector, podLabels(other)), svc.metadata!.name).toBe(false);
      for (const p of svc.spec!.ports!) expect(portNumber(container(d), p.targetPort), `${svc.metadata!.name} → ${p.targetPort}`).toBeDefined();
    }
  });

  it("the HPA scales the web Deployment by name, on CPU, with a slow scale-down", () => {
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment", name: web.metadata!.name });
    expect(hpa.spec!.metrics?.map((m) => m.resource?.name)).toEqual(["cpu"]);
    expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec!.maxReplicas).toBeGreaterThan(hpa.spec!.minReplicas!);
    expect(hpa.spec!.behavior?.scaleDown?.stabilizationWindowSeconds).toBeGreaterThanOrEqual(60);
    // A Utilization target is a percentage of the request: without one the HPA cannot compute it.
    expect(container(web).resources?.requests?.cpu).toBeDefined();
  });

  it("the ScaledObject scales the worker Deployment, and no HPA targets the same Deployment", () => {
    expect(scaledObject.spec.scaleTargetRef).toMatchObject({ kind: "Deployment", name: worker.metadata!.name });
    expect(hpa.spec!.scaleTargetRef.name).not.toBe(worker.metadata!.name);
    expect(scaledObject.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaledObject.spec.maxReplicaCount).toBeGreaterThan(scaledObject.spec.minReplicaCount!);
    expect(scaledObject.spec.advanced?.horizontalPodAutoscalerConfig?.behavior?.scaleDown?.stabilizationWindowSeconds).toBeGreaterThanOrEqual(60);
  });

  it("Deployments leave the replica count to their autoscaler", () => {
    for (const d of [web, worker]) expect(d.spec!.replicas, d.metadata!.name).toBeUndefined();
  });

  it("each PDB selects its tier and never blocks a drain at the autoscaler's minimum", () => {
    for (const [pdb, d, min] of [
      [webPdb, web, hpa.spec!.minReplicas!],
      [workerPdb, worker, scaledObject.spec.minReplicaCount!],
    ] as const) {
      const name = pdb.metadata!.name;
      expect(selects(pdb.spec!.selector?.matchLabels, podLabels(d)), name).toBe(true);
      const { minAvailable, maxUnavailable } = pdb.spec!;
      expect((minAvailable === undefined) !== (maxUnavailable === undefined), `${name}: one of minAvailable / maxUnavailable`).toBe(true);
      if (typeof minAvailable === "number") expect(minAvailable, `${name}: minAvailable < min replicas`).toBeLessThan(min);
      if (maxUnavailable !== undefined) expect(maxUnavailable, `${name}: maxUnavailable`).toBeGreaterThanOrEqual(1);
      expect(typeof minAvailable === "string" || typeof maxUnavailable === "string", `${name}: use whole numbers`).toBe(false);
    }
    // The web keeps a pod up during a drain; at its minimum one can still go.
    expect(webPdb.spec!.minAvailable).toBeGreaterThanOrEqual(1);
  });
});

// ── Ports, probes, shutdown ───────────────────────────────────────────────────
describe("ops/k8s: ports and probes match what the app and the worker serve", () => {
  it("the worker listens where src/env.js says by default, on every interface, and its Service uses that port", () => {
    const c = container(worker);
    const env = new Map(c.env!.map((e) => [e.name, e.value]));
    expect(Number(defaultOf("WORKER_PORT"))).toBe(3030);
    expect(c.ports!.map((p) => p.containerPort)).toEqual([Number(defaultOf("WORKER_PORT"))]);
    expect(env.get("WORKER_PORT")).toBe(defaultOf("WORKER_PORT"));
    expect(env.get("WORKER_HOST")).toBe("0.0.0.0");
    expect(workerService.spec!.ports!.map((p) => p.port)).toEqual([Number(defaultOf("WORKER_PORT"))]);
    // The command is `npm run worker`'s, without npm.
    expect(["node", ...(c.command ?? []).slice(1)].join(" ")).toBe(JSON.parse(read("package.json")).scripts.worker);
  });

  it("the web listens on the port its command starts next on", () => {
    const c = container(web);
    const cmd = c.command!.join(" ");
    expect(cmd).toMatch(/next start/);
    expect(c.ports!.map((p) => p.containerPort)).toEqual([Number(/--port (\d+)/.exec(cmd)![1])]);
    expect(cmd).toMatch(/--hostname 0\.0\.0\.0/);
  });

  it("every probe targets a named container port; all three probes are set", () => {
    for (const d of [web, worker]) {
      const c = container(d);
      for (const [kind, p] of Object.entries(probes(c))) {
        expect(p, `${d.metadata!.name} ${kind}Probe`).toBeDefined();
        const port = p!.httpGet?.port ?? p!.tcpSocket?.port;
        expect(portNumber(c, port), `${d.metadata!.name} ${kind}Probe port ${port}`).toBeDefined();
      }
    }
  });

  it("the web's HTTP probes are routes the app has, with a GET handler, and /api/health answers from the database", async () => {
    const paths = Object.values(probes(container(web))).flatMap((p) => (p?.httpGet?.path ? [p.httpGet.path] : []));
    expect(paths).toContain("/api/health");
    for (const p of paths) {
      const file = `src/app${p}/route.ts`;
      expect(read(file), file).toMatch(/export const GET\b/);
      const route = (await import(`../../${file}`)) as { GET: () => Promise<Response> };
      const res = await route.GET();
      if (p === "/api/health/live") {
        // Liveness must not depend on the database or Redis: it answers 200 and imports nothing.
        expect(res.status).toBe(200);
        expect(read(file)).not.toMatch(/^import /m);
        continue;
      }
      expect([200, 503]).toContain(res.status);
      const body = (await res.json()) as { checks: { database: { status: string } } };
      expect(body.checks.database.status).toBe("ok");
    }
  });

  describe("the worker, started as the Deployment starts it, answers its probes", () => {
    let proc: ChildProcess | undefined;
    let base = "";
    const free = () =>
      new Promise<number>((resolve) => {
        const s = createServer();
        s.listen(0, "127.0.0.1", () => {
          const { port } = s.address() as { port: number };
          s.close(() => resolve(port));
        });
      });

    beforeAll(async () => {
      const port = await free();
      const [cmd, ...args] = container(worker).command!;
      proc = spawn(cmd === "node" ? process.execPath : cmd!, args, {
        cwd: REPO_ROOT,
        // Another port than the manifest's (3030 may be taken here); the port itself is checked above.
        env: { ...process.env, WORKER_PORT: String(port), WORKER_HOST: "127.0.0.1", INNGEST_DEV: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      await new Promise<void>((resolve, reject) => {
        let out = "";
        proc!.stdout!.on("data", (d) => {
          out += String(d);
          if (out.includes("worker:")) resolve();
        });
        proc!.stderr!.on("data", (d) => (out += String(d)));
        proc!.on("exit", (code) => reject(new Error(`worker exited (${code}):\n${out}`)));
      });
      base = `http://127.0.0.1:${port}`;
    }, 60_000);
    afterAll(() => {
      proc?.kill("SIGTERM");
    });

    it("every httpGet probe path answers 200", async () => {
      const paths = Object.values(probes(container(worker))).map((p) => p?.httpGet?.path);
      expect(paths.every((p) => typeof p === "string")).toBe(true);
      for (const p of new Set(paths)) {
        const res = await fetch(base + p!);
        expect(res.status, p).toBe(200);
      }
      // And the Service's other consumer: Inngest's serve endpoint is there.
      expect((await fetch(`${base}/api/inngest`)).status).toBe(200);
    });
  });

  it("grace periods outlast preStop plus the longest step or stream (the gateway's timeout)", () => {
    expect(GATEWAY_TIMEOUT_S).toBeGreaterThan(0);
    for (const d of [web, worker]) {
      const preStop = container(d).lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(preStop, `${d.metadata!.name} preStop`).toBeGreaterThan(0);
      expect(d.spec!.template.spec!.terminationGracePeriodSeconds, d.metadata!.name).toBeGreaterThanOrEqual(preStop + GATEWAY_TIMEOUT_S + 10);
    }
  });
});

// ── Environment ───────────────────────────────────────────────────────────────
describe("ops/k8s: environment", () => {
  const envOf = (d: IDeployment): IEnvVar[] => container(d).env ?? [];

  it("src/env.js parses as expected (the checks below are not vacuous)", () => {
    expect(envJsVariables.has("DATABASE_URL")).toBe(true);
    expect(envJsVariables.has("INNGEST_SIGNING_KEY")).toBe(true);
    expect(envJsVariables.has("WORKER_PORT")).toBe(true);
    expect(envJsVariables.size).toBeGreaterThan(50);
    expect(requiredEnvJsVariables).toEqual(expect.arrayContaining(["DATABASE_URL", "AUTH_SECRET"]));
    expect(requiredEnvJsVariables).not.toContain("REDIS_URL");
  });

  it.each([
    ["web", web],
    ["worker", worker],
  ] as const)("%s: every variable is one src/env.js declares (or a named platform setting), set once", (_, d) => {
    const names = envOf(d).map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => !envJsVariables.has(n) && !(n in PLATFORM_VARIABLES))).toEqual([]);
  });

  it.each([
    ["web", web],
    ["worker", worker],
  ] as const)("%s: names every required and production variable", (_, d) => {
    const names = new Set(envOf(d).map((e) => e.name));
    expect([...requiredEnvJsVariables, ...PRODUCTION_VARIABLES].filter((n) => !names.has(n))).toEqual([]);
    if (d === web) expect(names.has("TRUSTED_PROXY_HOPS")).toBe(true);
  });

  it.each([
    ["web", web],
    ["worker", worker],
  ] as const)("%s: secrets only by reference to ocsuite-secrets, configuration from ocsuite-config", (_, d) => {
    for (const e of envOf(d)) {
      const secretRef = e.valueFrom?.secretKeyRef;
      const configRef = e.valueFrom?.configMapKeyRef;
      if (SECRET_VARIABLES.includes(e.name)) {
        expect(e.value, `${e.name} must not be inline`).toBeUndefined();
        expect(secretRef, `${e.name} comes from the Secret`).toMatchObject({ name: "ocsuite-secrets", key: e.name });
      } else {
        expect(secretRef, `${e.name} is not a secret: keep it out of the Secret`).toBeUndefined();
      }
      if (configRef) {
        expect(configRef.name).toBe("ocsuite-config");
        expect(configRef.key).toBe(e.name);
        if (!configRef.optional) expect(configLiterals.has(e.name), `${e.name} has a value in kustomization.yaml`).toBe(true);
      }
      expect(e.value !== undefined || !!secretRef || !!configRef, `${e.name} has a source`).toBe(true);
    }
  });

  it("the generated ConfigMap holds only variables src/env.js declares, none of them secrets", () => {
    expect(configLiterals.size).toBeGreaterThan(5);
    for (const k of configLiterals.keys()) {
      expect(envJsVariables.has(k), k).toBe(true);
      expect(SECRET_VARIABLES, k).not.toContain(k);
    }
    expect(configLiterals.get("STORAGE_DRIVER"), "pods share no disk: uploads must go to object storage").toBe("s3");
    expect(configLiterals.get("OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS")).toBe("false");
  });
});

// ── The KEDA trigger against the metric catalogue, promtool and the functions' limits ──
describe("ops/k8s: the worker's KEDA triggers", () => {
  const triggers = scaledObject.spec.triggers;
  const prom = triggers.find((t) => t.type === "prometheus")!;
  const query = prom?.metadata.query ?? "";
  const threshold = Number(prom?.metadata.threshold);
  const clamp = Number(/clamp_max\([\s\S]*,\s*(\d+)\)\)/.exec(query)?.[1]);
  const unclamped = /messaging_destination_name=~"([^"]+)"/.exec(query)?.[1] ?? "";

  type TConcurrency = number | { limit: number; key?: string } | ({ limit: number; key?: string } | number)[] | undefined;
  const fnOpts = functions.map((f) => (f as unknown as { opts: { id: string; concurrency?: TConcurrency } }).opts);
  const limits = (c: TConcurrency) => (c === undefined ? [] : Array.isArray(c) ? c : [c]).map((e) => (typeof e === "number" ? { limit: e } : e));
  /** The fleet-wide cap on a function's executing steps (an entry without a key), if any. */
  const globalLimit = (c: TConcurrency) => {
    const g = limits(c).filter((e) => !e.key);
    return g.length ? Math.min(...g.map((e) => e.limit)) : undefined;
  };
  const matchesUnclamped = (id: string) => new RegExp(`^(?:${unclamped})$`).test(id);

  it("has a Prometheus trigger on the queue depth and a CPU trigger", () => {
    expect(triggers.map((t) => t.type).sort()).toEqual(["cpu", "prometheus"]);
    expect(prom.metricType).toBe("AverageValue");
    expect(prom.metadata.serverAddress).toMatch(/^https?:\/\/[^/]+/);
    expect(threshold).toBeGreaterThan(0);
    const cpu = triggers.find((t) => t.type === "cpu")!;
    expect(cpu.metricType).toBe("Utilization");
    expect(Number(cpu.metadata.value)).toBeGreaterThan(0);
    expect(cpu.metadata.containerName).toBe(container(worker).name);
    // KEDA's CPU scaler is a percentage of the container's request.
    expect(container(worker).resources?.requests?.cpu).toBeDefined();
  });

  it("respects KEDA's admission rule: no fallback alongside a CPU trigger or a non-AverageValue trigger", () => {
    if (scaledObject.spec.fallback) for (const t of triggers) expect(t.type !== "cpu" && t.type !== "memory" && t.metricType === "AverageValue", t.type).toBe(true);
  });

  it("names only series and labels in the metric catalogue", () => {
    const labelsOf = new Map<string, Set<string>>();
    for (const m of METRICS as readonly MetricSpec[]) {
      const labels = new Set([...m.attributes.map(prometheusLabel), "job", "instance"]);
      const base = prometheusName(m);
      if (m.kind === "histogram") for (const s of ["_bucket", "_sum", "_count"]) labelsOf.set(base + s, new Set([...labels, "le"]));
      else labelsOf.set(base, labels);
    }
    const { selectors, groupingLabels } = promqlNames(query);
    expect(selectors.map((s) => s.metric)).toEqual(["ocsuite_job_queue_depth", "ocsuite_job_queue_depth"]);
    for (const s of selectors) {
      expect(labelsOf.has(s.metric), s.metric).toBe(true);
      for (const l of s.labels) expect(labelsOf.get(s.metric)!.has(l), `${s.metric}{${l}}`).toBe(true);
    }
    for (const l of groupingLabels) expect(selectors.some((s) => labelsOf.get(s.metric)!.has(l)), `by (${l})`).toBe(true);
  });

  it("takes the max across processes before summing functions (every process reports the same shared queue)", () => {
    const occurrences = query.match(/ocsuite_job_queue_depth/g)?.length ?? 0;
    const underMax = query.match(/max by \(messaging_destination_name\) \(ocsuite_job_queue_depth/g)?.length ?? 0;
    expect(occurrences).toBeGreaterThan(0);
    expect(underMax).toBe(occurrences);
  });

  it("derives its clamp and threshold from the functions' concurrency limits", () => {
    expect(fnOpts.length).toBe(functions.length);
    expect(clamp).toBe(threshold);
    const limited = fnOpts.filter((f) => globalLimit(f.concurrency) !== undefined);
    const perTenantOnly = fnOpts.filter((f) => limits(f.concurrency).length > 0 && globalLimit(f.concurrency) === undefined);
    expect(limited.map((f) => f.id)).toContain("tasks-run-task");
    expect(perTenantOnly.map((f) => f.id)).toContain("run-meeting");
    // A function capped fleet-wide never has more runnable work than its cap: the clamp must not cut below it.
    for (const f of limited) expect(globalLimit(f.concurrency), f.id).toBeLessThanOrEqual(clamp);
    expect(clamp).toBe(Math.max(...limited.map((f) => globalLimit(f.concurrency)!)));
    // The ingest limit is configurable: the deployed value must fit the clamp too.
    expect(Number(configLiterals.get("KNOWLEDGE_INGEST_CONCURRENCY"))).toBeLessThanOrEqual(clamp);
    // A function limited only per tenant grows with the tenants: its queue is counted in full,
    // under its own id and the app-prefixed id the engine stores ("ocsuite-<id>").
    for (const f of perTenantOnly) for (const id of [f.id, `ocsuite-${f.id}`]) expect(matchesUnclamped(id), id).toBe(true);
    for (const f of fnOpts.filter((f) => !perTenantOnly.includes(f))) for (const id of [f.id, `ocsuite-${f.id}`, `ocsuite-${f.id}-failure`]) expect(matchesUnclamped(id), id).toBe(false);
    // At its maximum the fleet can run every capped function at its cap.
    const capped = limited.reduce((n, f) => n + globalLimit(f.concurrency)!, 0);
    expect(scaledObject.spec.maxReplicaCount! * threshold).toBeGreaterThanOrEqual(capped);
  });

  it("promtool evaluates the query: the same for 1 or 3 reporting processes, capped functions clamped, meetings in full", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keda-query-"));
    try {
      const series = (instances: string[], fn: string, value: number) =>
        instances.map((instance) => ({ series: `ocsuite_job_queue_depth{job="ocsuite-worker",instance="${instance}",messaging_destination_name="${fn}"}`, values: `${value}x10` }));
      const three = ["worker-1:3030", "worker-2:3030", "web-1:3000"];
      const expr = query.replace(/\s+/g, " ");
      const file = path.join(dir, "keda.test.yml");
      writeFileSync(
        file,
        JSON.stringify({
          rule_files: [],
          evaluation_interval: "1m",
          tests: [
            {
              interval: "1m",
              input_series: [
                ...series(three, "ocsuite-tasks-run-task", 10),
                ...series(three, "ocsuite-knowledge-ingest-document", 2),
                ...series(three, "ocsuite-run-meeting", 7),
                ...series(three, "ocsuite-run-meeting-failure", 9),
              ],
              promql_expr_test: [{ expr, eval_time: "5m", exp_samples: [{ labels: "{}", value: clamp + 2 + 7 + Math.min(9, clamp) }] }],
            },
            {
              interval: "1m",
              input_series: [
                ...series(["worker-1:3030"], "ocsuite-tasks-run-task", 10),
                ...series(["worker-1:3030"], "ocsuite-knowledge-ingest-document", 2),
                ...series(["worker-1:3030"], "ocsuite-run-meeting", 7),
                ...series(["worker-1:3030"], "ocsuite-run-meeting-failure", 9),
              ],
              promql_expr_test: [{ expr, eval_time: "5m", exp_samples: [{ labels: "{}", value: clamp + 2 + 7 + Math.min(9, clamp) }] }],
            },
            {
              // Inngest Cloud: the gauge has no series at all. The query must still answer 0, not nothing.
              interval: "1m",
              input_series: [{ series: 'up{job="ocsuite-worker",instance="worker-1:3030"}', values: "1x10" }],
              promql_expr_test: [{ expr, eval_time: "5m", exp_samples: [{ labels: "{}", value: 0 }] }],
            },
          ],
        }),
      );
      const res = await run("promtool", ["test", "rules", file]);
      expect(res.code, res.stdout + res.stderr).toBe(0);
      expect(res.stdout + res.stderr).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ── vercel.json ───────────────────────────────────────────────────────────────
describe("vercel.json", () => {
  type TVercel = { $schema?: string; framework?: string; regions?: string[]; functions: Record<string, { maxDuration?: number; memory?: number }> };
  const vercel = JSON.parse(read("vercel.json")) as TVercel;
  const entries = Object.entries(vercel.functions);
  const matched = (pattern: string) => globSync(pattern, { cwd: REPO_ROOT }).map((f) => f.split(path.sep).join("/"));
  const durationFor = (file: string) => entries.filter(([pattern]) => matched(pattern).includes(file)).map(([, cfg]) => cfg.maxDuration);

  it("only keys that configure functions and regions (nothing that changes the build or npm start)", () => {
    expect(Object.keys(vercel).filter((k) => !["$schema", "framework", "regions", "functions"].includes(k))).toEqual([]);
    expect(vercel.framework).toBe("nextjs");
  });

  it("every functions pattern matches a route file that exists", () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const [pattern] of entries) {
      const files = matched(pattern);
      expect(files.length, pattern).toBeGreaterThan(0);
      for (const f of files) expect(f, pattern).toMatch(/^src\/app\/.*\/route\.ts$/);
    }
  });

  it("the chat stream and the Inngest endpoint outlast a model call; uploads get a limit; all within Vercel's 800 s", () => {
    const chat = `src/app${CHAT_ROUTE}/route.ts`;
    const inngestRoute = "src/app/api/inngest/route.ts";
    const uploads = `src/app${DOCUMENTS_ROUTE}/route.ts`;
    for (const f of [chat, inngestRoute, uploads]) {
      expect(read(f).length, f).toBeGreaterThan(0);
      expect(durationFor(f), `${f}: exactly one pattern`).toHaveLength(1);
    }
    for (const f of [chat, inngestRoute]) expect(durationFor(f)[0], f).toBeGreaterThanOrEqual(GATEWAY_TIMEOUT_S + 30);
    expect(durationFor(uploads)[0]).toBeGreaterThanOrEqual(30);
    for (const [pattern, cfg] of entries) {
      expect(cfg.maxDuration, pattern).toBeGreaterThan(0);
      expect(cfg.maxDuration, pattern).toBeLessThanOrEqual(800);
    }
  });

  it("pins the functions to one region", () => {
    expect(vercel.regions).toHaveLength(1);
    for (const r of vercel.regions!) expect(r).toMatch(/^[a-z]{3}\d$/);
  });
});
