/**
 * Liveness: answers 200 while this process can serve HTTP, without touching the
 * database or Redis. An orchestrator restarts the process when this fails; a
 * database outage must not restart every web pod (that is what /api/health,
 * the readiness check, reports instead).
 */
export const dynamic = "force-dynamic";

export const GET = () => Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
