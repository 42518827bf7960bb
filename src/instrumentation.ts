import { registerOTel } from "@vercel/otel";

/**
 * Runs once per server process, before any request. Validates the environment
 * (a bad variable stops the server with a message naming it) and registers
 * OpenTelemetry. Exporters are configured by the standard OTEL_* variables:
 * OTEL_EXPORTER_OTLP_ENDPOINT (unset: spans are created for log correlation
 * but not exported), OTEL_SERVICE_NAME (default "ocsuite-web").
 */
export const register = async () => {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./env.js");
  }
  registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME ?? "ocsuite-web" });
};
