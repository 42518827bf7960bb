import "server-only";
import { trace } from "@opentelemetry/api";
import pino from "pino";
import { env } from "~/env";
import { redactLogArgs, redactLogRecord } from "./privacy-telemetry";

// Structured JSON logs. Every line written inside a span carries its trace and
// span ids so a log line can be joined to its trace in the APM. The options are
// exported for tests that read what a line becomes (privacy-telemetry.test.ts).
export const loggerOptions: pino.LoggerOptions = {
  level: env.LOG_LEVEL ?? "info", // unset only during `next build`
  base: { service: env.OTEL_SERVICE_NAME ?? "ocsuite-web" }, // unset only during `next build`
  timestamp: pino.stdTimeFunctions.isoTime,
  // A line about a workspace that switched telemetry off (its tenantId, or the trace it is written
  // in) loses the tenant and user identifiers (privacy-telemetry.ts). After mixin: it sees trace_id.
  // Only the line's own object passes through here: no logger.child bindings carry a tenant or user.
  formatters: { log: redactLogRecord },
  hooks: {
    logMethod(args, method) {
      method.apply(this, redactLogArgs(args) as Parameters<typeof method>);
    },
  },
  mixin() {
    const span = trace.getActiveSpan();
    if (!span) return {};
    const { traceId, spanId } = span.spanContext();
    return { trace_id: traceId, span_id: spanId };
  },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "secret", "*.secret", "authorization", "*.authorization", "cookie", "*.cookie"],
    censor: "[redacted]",
  },
};

export const logger = pino(loggerOptions);
