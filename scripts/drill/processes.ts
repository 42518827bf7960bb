import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

// Child processes of the drill (app, worker, Prometheus, Alertmanager): output
// kept in memory (printed when the drill fails or DRILL_VERBOSE is set), and a
// stop that waits for the process to exit so ports and databases are free after.

export type Proc = { name: string; child: ChildProcess; output: () => string; stop: () => Promise<void> };

export const startProcess = (name: string, cmd: string, args: string[], opts: SpawnOptions): Proc => {
  const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
    if (process.env.DRILL_VERBOSE) process.stderr.write(`[${name}] ${d}`);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", (code, signal) => {
    if (code && code !== 0 && !stopping) process.stderr.write(`[drill] ${name} exited (${code ?? signal}):\n${out.slice(-4000)}\n`);
  });
  let stopping = false;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    stopping = true;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    // The whole process group: npm start's children (Next, the executor) too.
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, 15_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, output: () => out, stop };
};

/** Polls `url` until it answers 2xx. */
export const waitForHttp = async (url: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.text();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (${last})`);
};
