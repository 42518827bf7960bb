import "server-only";
import { SpanKind, SpanStatusCode, context as otelContext, trace, type Span } from "@opentelemetry/api";
import { isAppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { tracer } from "~/server/infra/tracing";
import { appErrorResponse, internalErrorResponse } from "./error-response";

export type RouteTelemetry = {
  /** The request's server span (active while the handler runs). */
  span: Span;
  /**
   * For a streamed answer: measure (and end the span) when `finished` settles,
   * with the status label it resolves to, instead of when the Response is returned.
   */
  measureUntil: (finished: Promise<string>) => void;
};

/**
 * Runs a route handler in a server span named `METHOD route` (OTel HTTP
 * semconv: http.request.method, http.route, http.response.status_code) and
 * records http.server.request.duration (the same attributes, error.type on a
 * 5xx). A thrown AppError becomes its JSON error Response; anything
 * else is logged and answered as a bare 500.
 */
export const instrumentedRoute = async (req: Request, route: string, fn: (t: RouteTelemetry) => Promise<Response>): Promise<Response> => {
  const method = req.method.toUpperCase();
  const started = performance.now();
  const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "http.route": route } });
  let finished: Promise<string> | null = null;
  let response: Response;
  let status = "OK";
  try {
    response = await otelContext.with(trace.setSpan(otelContext.active(), span), () => fn({ span, measureUntil: (p) => void (finished = p) }));
  } catch (err) {
    finished = null;
    const appError = isAppError(err) ? err : null;
    if (appError) span.setAttribute("error.type", appError.reason);
    else {
      logger.error({ err, route }, "route handler failed");
      span.recordException(err as Error);
      span.setAttribute("error.type", "INTERNAL_SERVER_ERROR");
    }
    status = appError?.code ?? "INTERNAL_SERVER_ERROR";
    response = appError ? appErrorResponse(appError) : internalErrorResponse();
  }
  const end = (label: string) => {
    // error.type on a 5xx, and on a streamed answer that broke after its 200 went out.
    const failed = response.status >= 500 || label === "INTERNAL_SERVER_ERROR";
    metrics.httpServerDuration.record((performance.now() - started) / 1000, {
      "http.request.method": method,
      "http.route": route,
      "http.response.status_code": response.status,
      ...(failed ? { "error.type": label === "OK" ? String(response.status) : label } : {}),
    });
    span.setAttribute("http.response.status_code", response.status);
    if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: label });
    span.end();
  };
  // Set from inside the handler (measureUntil), which control-flow narrowing cannot see.
  const pending = finished as Promise<string> | null;
  if (pending) pending.then(end, () => end("INTERNAL_SERVER_ERROR"));
  else end(status);
  return response;
};
