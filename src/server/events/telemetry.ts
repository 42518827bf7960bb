/**
 * Job telemetry as an Inngest v4 middleware: every call request the SDK
 * serves (one per step execution or discovery) becomes an OpenTelemetry span
 * `inngest.job <function id>`, and feeds OTel metrics:
 *   ocsuite.job.queue_wait   (s)  first attempt's start − event timestamp
 *   ocsuite.job.duration     (s)  time spent executing in this request
 *   ocsuite.job.runs         {run} finished runs, by status (completed | failed)
 *   ocsuite.job.failures     {error} run or step errors, by error class and finality
 *   ocsuite.job.retries      {attempt} requests with attempt > 0
 * Attributes: inngest.function.id, ocsuite.tenant.id (event.data.tenantId when
 * present), inngest.run.id, inngest.attempt, inngest.status, error.type.
 *
 * The same measurements also feed the Prometheus registry served at /api/metrics
 * (src/server/infra/metrics.ts): ocsuite_job_queue_wait_seconds{function,tenant},
 * ocsuite_job_duration_seconds{function,status}, ocsuite_job_runs_total{function,status},
 * ocsuite_job_failures_total{function,error_type,final}, ocsuite_job_retries_total{function}
 * and ocsuite_dead_letters_total{function}. Dead letters are counted here, on a run's
 * final failure (which is exactly when an Inngest server or inngest/local writes one),
 * because the executor is a separate process that must not import src/server/infra.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { Middleware } from "inngest";
import { contextFromTraceparent } from "./trace-context";
import { metrics as prom, otelJobInstruments as getInstruments } from "~/server/infra/metrics";

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

const metricAttributes = (fnId: string, ctx: Ctx): Attributes => {
  const tenant = ctx.event.data?.tenantId;
  return { "inngest.function.id": fnId, ...(typeof tenant === "string" ? { "ocsuite.tenant.id": tenant } : {}) };
};

const tenantLabel = (ctx: Ctx) => {
  const tenant = ctx.event.data?.tenantId;
  return typeof tenant === "string" ? tenant : "";
};

export class JobTelemetryMiddleware extends Middleware.BaseMiddleware {
  readonly id = "ocsuite:job-telemetry";

  /**
   * One span per call request. wrapRequest (not wrapFunctionHandler) because a
   * handler interrupted by a step never settles; the request always does.
   */
  override async wrapRequest({ fn, next, requestInfo, runId }: Middleware.WrapRequestArgs) {
    if (!fn) return next();
    const fnId = fn.id(this.client.id);
    const body = ((await requestInfo.body().catch(() => null)) ?? {}) as { event?: Ctx["event"]; ctx?: { attempt?: number } };
    const c: Ctx = { runId, attempt: body.ctx?.attempt ?? 0, event: body.event ?? { name: "unknown" } };
    const m = getInstruments();
    const started = Date.now();
    const mAttrs = metricAttributes(fnId, c);
    if (c.attempt > 0) {
      m.retries.add(1, mAttrs);
      prom.jobRetries.inc({ function: fnId });
    }
    let promStatus = "error";
    // Parent: the trace of the request that sent the event, when it carried one.
    const parent = contextFromTraceparent(c.event.data?.traceparent);
    return tracer.startActiveSpan(`inngest.job ${fnId}`, { kind: SpanKind.CONSUMER, attributes: baseAttributes(fnId, c), startTime: started }, parent, async (span) => {
      if (typeof c.event.ts === "number") span.setAttribute("inngest.event.ts", c.event.ts);
      try {
        const res = await next();
        const status = res.status === 200 ? "completed" : res.status === 206 ? "step" : "failed";
        span.setAttribute("inngest.status", status);
        span.setAttribute("http.response.status_code", res.status);
        promStatus = status;
        if (status === "completed") {
          m.runs.add(1, { ...mAttrs, status: "completed" });
          prom.jobRuns.inc({ function: fnId, status: "completed" });
        }
        if (status === "failed") {
          let errorType = "Error";
          try {
            errorType = (JSON.parse(res.body) as { name?: string }).name ?? errorType;
          } catch {}
          span.setAttribute("error.type", errorType);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
        }
        return res;
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        m.duration.record((Date.now() - started) / 1000, mAttrs);
        prom.jobDuration.observe({ function: fnId, status: promStatus }, (Date.now() - started) / 1000);
        span.end();
      }
    });
  }

  override onRunStart({ ctx, fn }: Middleware.OnRunStartArgs) {
    const c = ctx as unknown as Ctx;
    if (typeof c.event.ts === "number") {
      const fnId = fn.id(this.client.id);
      const seconds = Math.max(0, Date.now() - c.event.ts) / 1000;
      getInstruments().queueWait.record(seconds, metricAttributes(fnId, c));
      prom.jobQueueWait.observe({ function: fnId, tenant: tenantLabel(c) }, seconds);
    }
  }

  override onRunError({ ctx, fn, error, isFinalAttempt }: Middleware.OnRunErrorArgs) {
    const c = ctx as unknown as Ctx;
    const m = getInstruments();
    const fnId = fn.id(this.client.id);
    const attrs = { ...metricAttributes(fnId, c), "error.type": error.name, final: isFinalAttempt };
    m.failures.add(1, attrs);
    prom.jobFailures.inc({ function: fnId, error_type: error.name, final: String(isFinalAttempt) });
    if (isFinalAttempt) {
      m.runs.add(1, { ...metricAttributes(fnId, c), status: "failed" });
      prom.jobRuns.inc({ function: fnId, status: "failed" });
      // The run failed for good: the engine writes a dead letter for it.
      prom.deadLetters.inc({ function: fnId });
    }
  }

  override onStepError({ ctx, fn, error, isFinalAttempt, stepInfo }: Middleware.OnStepErrorArgs) {
    const c = ctx as unknown as Ctx;
    const fnId = fn.id(this.client.id);
    prom.jobFailures.inc({ function: fnId, error_type: error.name, final: String(isFinalAttempt) });
    getInstruments().failures.add(1, {
      ...metricAttributes(fnId, c),
      "error.type": error.name,
      final: isFinalAttempt,
      "inngest.step.type": String(stepInfo.stepType),
    });
  }
}
