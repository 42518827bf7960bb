import { registerOTel } from "@vercel/otel";

/**
 * Runs once per server process, before any request. Validates the environment
 * (a bad variable stops the server with a message naming it) and registers
 * OpenTelemetry. Exporters are configured by the standard OTEL_* variables:
 * OTEL_EXPORTER_OTLP_ENDPOINT (unset: spans are created for log correlation
 * but not exported), OTEL_SERVICE_NAME (default "ocsuite-web").
 */
export const register = async () => {
  // NEXT_RUNTIME is Next's own marker, not configuration. env.js validates server
  // secrets, which an edge bundle would not carry, so it is loaded on Node only
  // (none of our code runs on the edge runtime today).
  const serviceName = process.env.NEXT_RUNTIME === "nodejs" ? (await import("./env.js")).env.OTEL_SERVICE_NAME : "ocsuite-web";
  registerOTel({ serviceName: serviceName ?? "ocsuite-web" });
};
