/**
 * A small process supervisor for the chaos run: a process started as
 * scripts/drill/processes.ts's startProcess starts it (its own process group),
 * restarted RESTART_DELAY_MS after any exit it did not ask for, with the
 * same interface (name, child — the current one —, output(), stop()) so the
 * load runner's boot (perf/load/stack.mjs) takes it as its `start`.
 * `npm start` (scripts/start.mjs) has no supervisor of its own: it stops when
 * its server exits, as a process manager (systemd, a container runtime) is
 * expected to restart it; this plays that part.
 */
import { startProcess } from "../../scripts/drill/processes.ts";

const RESTART_DELAY_MS = 1_000;

/** `onEvent(name, what, at)`: "exit" (code or signal) and "restart". */
export const supervisedStarter =
  (onEvent = () => undefined) =>
  (name, cmd, args, opts) => {
    let proc = startProcess(name, cmd, args, opts);
    let stopping = false;
    let earlier = "";
    const restarts = [];
    const watch = () =>
      proc.child.once("exit", (code, signal) => {
        if (stopping) return;
        onEvent(name, `exited (${code ?? signal})`, Date.now());
        setTimeout(() => {
          if (stopping) return;
          earlier = (earlier + proc.output()).slice(-100_000);
          proc = startProcess(name, cmd, args, opts);
          restarts.push(Date.now());
          onEvent(name, "restarted", Date.now());
          watch();
        }, RESTART_DELAY_MS);
      });
    watch();
    return {
      name,
      get child() {
        return proc.child;
      },
      output: () => proc.output(),
      /** Everything written by this and the earlier runs (last 300 kB). */
      allOutput: () => (earlier + proc.output()).slice(-300_000),
      restarts,
      /** SIGKILL to the whole process group (npm start's script and its `next start`; the worker). */
      kill9: () => {
        try {
          process.kill(-proc.child.pid, "SIGKILL");
        } catch {
          proc.child.kill("SIGKILL");
        }
      },
      stop: async () => {
        stopping = true;
        await proc.stop();
      },
    };
  };
