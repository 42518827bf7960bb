/*
 * Secret scanning (scripts/secret-scan.mjs, the lint step of `npm test` and the
 * security workflow) proven on temporary git repositories: realistic fake keys
 * of the kinds that leak most (an AWS secret access key, an OpenAI project key,
 * a PEM private key), generated here at run time so that no key-shaped text is
 * committed, make it fail and are named without being printed; a clean tree
 * passes; .secretlintignore is honoured. Also checks that every ignore entry
 * states its reason and that `npm test` and the workflow run this same command.
 */
import { execFile, execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes, randomInt } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./ops-files";

const SCRIPT = path.join(REPO_ROOT, "scripts", "secret-scan.mjs");
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const randomFrom = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");
// Letters or digits at both ends: a key that began or ended with "/", "+", "-" or "_" sits at no word
// boundary, and the rules' patterns (rightly) did not match it: the test failed on about one run in ten.
const boundedFrom = (alphabet: string, n: number) => `${randomFrom(ALNUM, 1)}${randomFrom(alphabet, n - 2)}${randomFrom(ALNUM, 1)}`;

// Shaped like the real thing (lengths, prefixes, markers), random so each run differs.
const FAKE = {
  awsSecret: boundedFrom(`${ALNUM}/+`, 40),
  openAiKey: `sk-proj-${boundedFrom(`${ALNUM}_-`, 74)}T3BlbkFJ${boundedFrom(`${ALNUM}_-`, 74)}`,
  privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A git repository with these files added (the scan reads `git ls-files`). */
const repoWith = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ocsuite-secret-scan-"));
  dirs.push(dir);
  execFileSync("git", ["init", "-q"], { cwd: dir });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  execFileSync("git", ["add", "-A"], { cwd: dir });
  return dir;
};

const scan = (cwd: string) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [SCRIPT], { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 2) : 0, output: `${stdout}${stderr}` }),
    );
  });

describe("scripts/secret-scan.mjs", () => {
  it("fails on an AWS secret access key, an OpenAI key and a private key, naming each file without printing the secret", async () => {
    const dir = repoWith({
      "deploy/aws.env": `AWS_ACCESS_KEY_ID=AKIA${randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}\nAWS_SECRET_ACCESS_KEY=${FAKE.awsSecret}\n`,
      "src/config.ts": `export const openai = { apiKey: "${FAKE.openAiKey}" };\n`,
      "keys/server.pem": FAKE.privateKey,
      "README.md": "# nothing to see\n",
    });
    const { code, output } = await scan(dir);
    expect(code, output).toBe(1);
    // Each file, with the rule that caught it (secretlint's stylish report: the path, then its findings).
    const findings = (file: string) => output.split(path.join(dir, file))[1]?.split(`\n${dir}`)[0] ?? "";
    expect(findings("deploy/aws.env")).toContain("[AWSSecretAccessKey]");
    expect(findings("src/config.ts")).toContain("[OPENAI_TOKEN]");
    expect(findings("keys/server.pem")).toContain("[PrivateKey]");
    expect(output).not.toContain("README.md");
    // Reports are masked: the log of a CI run must not become the leak.
    for (const secret of [FAKE.awsSecret, FAKE.openAiKey, FAKE.privateKey.split("\n")[1]!]) expect(output).not.toContain(secret);
  }, 60_000);

  it("passes a clean tree, and scans tracked files only", async () => {
    const dir = repoWith({ "src/index.ts": 'export const greeting = "hello";\n', "docs/notes.md": `A random id: ${randomBytes(16).toString("hex")}\n` });
    // An untracked file is not part of the repository's content: it is not scanned.
    writeFileSync(path.join(dir, "local.env"), `AWS_SECRET_ACCESS_KEY=${FAKE.awsSecret}\n`);
    const { code, output } = await scan(dir);
    expect(code, output).toBe(0);
    expect(output).toContain("secret-scan: 2 tracked files, no secrets found");
  }, 60_000);

  it("honours .secretlintignore: a fake key in an ignored fixture passes, the same key elsewhere fails", async () => {
    const ignore = "# Fixtures: fake keys on purpose.\nfixtures/\n";
    expect((await scan(repoWith({ ".secretlintignore": ignore, "fixtures/fake.pem": FAKE.privateKey }))).code).toBe(0);
    expect((await scan(repoWith({ ".secretlintignore": ignore, "fixtures/fake.pem": FAKE.privateKey, "src/leak.pem": FAKE.privateKey }))).code).toBe(1);
  }, 60_000);

  it("the repository's .secretlintignore gives a reason (a comment line) right above every entry", () => {
    const lines = readFileSync(path.join(REPO_ROOT, ".secretlintignore"), "utf8").split("\n");
    const entries = lines.map((line, i) => ({ line, i })).filter(({ line }) => line.trim() !== "" && !line.startsWith("#"));
    expect(entries.length).toBeGreaterThan(0);
    for (const { line, i } of entries) expect(lines[i - 1]?.startsWith("#"), `no reason above "${line}"`).toBe(true);
  });

  it("npm test's lint step and the security workflow run this same command", () => {
    expect(readFileSync(path.join(REPO_ROOT, "scripts", "test.mjs"), "utf8")).toContain('"scripts/secret-scan.mjs"');
    expect(readFileSync(path.join(REPO_ROOT, ".github", "workflows", "security.yml"), "utf8")).toMatch(/run: node scripts\/secret-scan\.mjs/);
  });
});
