import "server-only";
import { trace } from "@opentelemetry/api";
import pino from "pino";
import { env } from "~/env";
import { redactLogRecord } from "./privacy-telemetry";

// Structured JSON logs. Every line written inside a span carries its trace and
// span ids so a log line can be joined to its trace in the APM.
export const logger = pino({
  level: env.LOG_LEVEL ?? "info", // unset only during `next build`
  base: { service: env.OTEL_SERVICE_NAME ?? "ocsuite-web" }, // unset only during `next build`
  timestamp: pino.stdTimeFunctions.isoTime,
  // A line about a workspace that switched telemetry off (its tenantId, or the trace it is written
  // in) loses the tenant and user identifiers (privacy-telemetry.ts). After mixin: it sees trace_id.
  formatters: { log: redactLogRecord },
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
});
