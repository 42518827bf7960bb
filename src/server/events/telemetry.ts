/**
 * Job telemetry as an Inngest v4 middleware: every call request the SDK
 * serves (one per step execution or discovery) becomes an OpenTelemetry span
 * `inngest.job <function id>` (attributes: inngest.function.id, inngest.run.id,
 * inngest.attempt, inngest.status, error.type, and ocsuite.tenant.id when the
 * event carries data.tenantId), and feeds the metrics of the catalogue
 * (src/server/infra/metric-catalog.ts, messaging semantic conventions):
 *   messaging.process.duration (s)  time spent executing in this request
 *   ocsuite.job.queue_wait     (s)  first attempt's start − event timestamp
 *   ocsuite.job.runs / .failures / .retries / .dead_letters
 * all by messaging.destination.name = the function id. Never by tenant: a
 * tenant id is unbounded as a label; it is on the span (removed there when the
 * workspace switched telemetry off: infra/privacy-telemetry.ts) and in InngestRun.
 * Dead letters are counted here, on a run's final failure (which is exactly
 * when an Inngest server or inngest/local writes one), because the executor is
 * a separate process that must not import src/server/infra.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { Middleware } from "inngest";
import { contextFromTraceparent } from "./trace-context";
import { observeJobQueueDepth } from "~/server/infra/job-queue-depth";
import { ensureTenantTelemetry } from "~/server/infra/privacy-telemetry-source";
import { metrics } from "~/server/infra/metrics";

const tracer = trace.getTracer("ocsuite.jobs");

type Ctx = { runId: string; attempt: number; event: { name: string; ts?: number; data?: Record<string, unknown> } };

const baseAttributes = (fnId: string, ctx: Ctx): Attributes => {
  const tenant = ctx.event.data?.tenantId;
  return {
    // Messaging semconv: one "process" operation of the inngest "destination" (the function).
    "messaging.system": "inngest",
    "messaging.operation.name": "process",
    "messaging.operation.type": "process",
    "messaging.destination.name": fnId,
    "inngest.function.id": fnId,
    "inngest.run.id": ctx.runId,
    "inngest.attempt": ctx.attempt,
    "inngest.event.name": ctx.event.name,
    ...(typeof tenant === "string" ? { "ocsuite.tenant.id": tenant } : {}),
  };
};

/** messaging.process.duration's attributes (semconv: one "process" operation of an inngest "destination", the function). */
const processAttributes = (fnId: string, errorType: string | null) => ({
  "messaging.system": "inngest",
  "messaging.operation.name": "process",
  "messaging.destination.name": fnId,
  ...(errorType ? { "error.type": errorType } : {}),
});

export class JobTelemetryMiddleware extends Middleware.BaseMiddleware {
  readonly id = "ocsuite:job-telemetry";

  /**
   * One span per call request. wrapRequest (not wrapFunctionHandler) because a
   * handler interrupted by a step never settles; the request always does.
   */
  override async wrapRequest({ fn, next, requestInfo, runId }: Middleware.WrapRequestArgs) {
    if (!fn) return next();
    // This process serves jobs, so it also reports the work waiting for them (once; read when collected).
    observeJobQueueDepth();
    const fnId = fn.id(this.client.id);
    const body = ((await requestInfo.body().catch(() => null)) ?? {}) as { event?: Ctx["event"]; ctx?: { attempt?: number } };
    const c: Ctx = { runId, attempt: body.ctx?.attempt ?? 0, event: body.event ?? { name: "unknown" } };
    const started = Date.now();
    if (c.attempt > 0) metrics.jobRetries.add(1, { "messaging.destination.name": fnId });
    // Set when the request fails (a failed run or step: the error class; a throw: its name).
    let errorType: string | null = null;
    // Parent: the trace of the request that sent the event, when it carried one.
    const parent = contextFromTraceparent(c.event.data?.traceparent);
    // The tenant's telemetry setting, known before its span starts (cached; a query per tenant per
    // minute at most): the span and the job's log lines follow it (infra/privacy-telemetry.ts).
    const tenantId = c.event.data?.tenantId;
    if (typeof tenantId === "string") await ensureTenantTelemetry(tenantId);
    return tracer.startActiveSpan(`inngest.job ${fnId}`, { kind: SpanKind.CONSUMER, attributes: baseAttributes(fnId, c), startTime: started }, parent, async (span) => {
      if (typeof c.event.ts === "number") span.setAttribute("inngest.event.ts", c.event.ts);
      try {
        const res = await next();
        const status = res.status === 200 ? "completed" : res.status === 206 ? "step" : "failed";
        span.setAttribute("inngest.status", status);
        span.setAttribute("http.response.status_code", res.status);
        if (status === "completed") metrics.jobRuns.add(1, { "messaging.destination.name": fnId, "ocsuite.outcome": "completed" });
        if (status === "failed") {
          errorType = "Error";
          try {
            errorType = (JSON.parse(res.body) as { name?: string }).name ?? errorType;
          } catch {}
          span.setAttribute("error.type", errorType);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
        }
        return res;
      } catch (err) {
        errorType = (err as Error).name || "Error";
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        metrics.jobProcessDuration.record((Date.now() - started) / 1000, processAttributes(fnId, errorType));
        span.end();
      }
    });
  }

  override onRunStart({ ctx, fn }: Middleware.OnRunStartArgs) {
    const c = ctx as unknown as Ctx;
    if (typeof c.event.ts === "number") {
      const fnId = fn.id(this.client.id);
      const seconds = Math.max(0, Date.now() - c.event.ts) / 1000;
      metrics.jobQueueWait.record(seconds, { "messaging.destination.name": fnId });
    }
  }

  override onRunError({ fn, error, isFinalAttempt }: Middleware.OnRunErrorArgs) {
    const fnId = fn.id(this.client.id);
    metrics.jobFailures.add(1, { "messaging.destination.name": fnId, "error.type": error.name, "ocsuite.final": isFinalAttempt });
    if (isFinalAttempt) {
      metrics.jobRuns.add(1, { "messaging.destination.name": fnId, "ocsuite.outcome": "failed" });
      // The run failed for good: the engine writes a dead letter for it.
      metrics.jobDeadLetters.add(1, { "messaging.destination.name": fnId });
    }
  }

  override onStepError({ fn, error, isFinalAttempt }: Middleware.OnStepErrorArgs) {
    const fnId = fn.id(this.client.id);
    metrics.jobFailures.add(1, { "messaging.destination.name": fnId, "error.type": error.name, "ocsuite.final": isFinalAttempt });
  }
}
