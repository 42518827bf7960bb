/**
 * Steady traffic for the chaos run, from this process (an open model: new
 * requests arrive on a clock whatever the earlier ones are doing, so a stalled
 * provider or a dead process does not stop the arrivals that measure recovery):
 *
 *   chat      a turn on the streaming route (/api/t/<slug>/chat, NDJSON) in a new conversation
 *   meeting   meeting.create (2 personas, 1 round, 1 item)
 *   task      task.create
 *   upload    a 5-page PDF to /api/t/<slug>/documents
 *   health    GET /api/health every second
 *
 * Every request is recorded (start, end, ok, error) and so is every write the
 * product acknowledged: a chat turn whose `start` line arrived (the user
 * message is committed before that line is written: services/chat/turns.ts),
 * a meeting or task create answered 200 with its id, an upload answered 201.
 */
import { makePdf } from "../load/documents.mjs";

const cookieHeader = (user) => Object.entries(user.cookies).map(([k, v]) => `${k}=${v}`).join("; ");

export const startTraffic = ({ appUrl, users, rates, chatTimeoutMs = 150_000 }) => {
  const requests = [];
  const writes = [];
  const health = [];
  const inFlight = { chat: 0, meeting: 0, task: 0, upload: 0 };
  let seq = 0;
  const pick = () => users[Math.floor(Math.random() * users.length)];
  const uid = () => `${Date.now().toString(36)}-${(seq++).toString(36)}`;

  /** Runs one request: `fn` returns { ok, error? }; thrown errors are failures. */
  const record = async (kind, fn) => {
    const r = { kind, start: Date.now(), end: 0, ok: false, error: null };
    requests.push(r);
    inFlight[kind]++;
    try {
      Object.assign(r, await fn(r));
    } catch (err) {
      r.ok = false;
      r.error = err.name === "TimeoutError" ? "client timeout" : `${err.name}: ${err.cause?.code ?? err.message}`.slice(0, 120);
    } finally {
      r.end = Date.now();
      inFlight[kind]--;
    }
  };

  const trpc = async (user, procedure, input) => {
    const res = await fetch(`${appUrl}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: appUrl, cookie: cookieHeader(user) },
      body: JSON.stringify({ json: input }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) return { ok: false, error: `HTTP ${res.status}` };
    return { ok: true, data: JSON.parse(text).result.data.json };
  };

  const chat = (user) =>
    record("chat", async () => {
      const url = `${appUrl}/api/t/${user.tenant}/chat`;
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", origin: appUrl, cookie: cookieHeader(user) },
        body: JSON.stringify({ action: "send", personaKey: "cfo", content: `What does our runway look like if we hire two engineers? (${uid()})`, locale: "en" }),
        signal: AbortSignal.timeout(chatTimeoutMs),
      });
      if (res.status !== 200) {
        await res.text().catch(() => "");
        return { ok: false, error: `HTTP ${res.status}` };
      }
      let outcome = null;
      let buf = "";
      const decoder = new TextDecoder();
      const onLine = (line) => {
        if (!line) return;
        const ev = JSON.parse(line);
        if (ev.type === "start") {
          writes.push({ kind: "message", id: ev.userMessage.id, conversationId: ev.conversation.id, at: Date.now(), tenant: user.tenant, email: user.email, assistantMessageId: ev.assistantMessageId });
        } else if (ev.type === "done") outcome = { ok: true };
        else if (ev.type === "error") outcome = { ok: false, error: `turn failed: ${ev.reason}` };
      };
      try {
        for await (const chunk of res.body) {
          buf += decoder.decode(chunk, { stream: true });
          const lines = buf.split("\n");
          buf = lines.pop();
          lines.forEach(onLine);
        }
        onLine(buf.trim());
      } catch (err) {
        return { ok: false, error: `stream cut: ${err.cause?.code ?? err.name}` };
      }
      return outcome ?? { ok: false, error: "stream ended without done" };
    });

  const meeting = (user) =>
    record("meeting", async () => {
      const r = await trpc(user, "meeting.create", {
        tenantSlug: user.tenant,
        title: `Chaos review ${uid()}`,
        goal: "Decide whether to hire two engineers next quarter.",
        agenda: ["Hiring two engineers: cost and runway"],
        personaKeys: ["ceo", "cfo"],
        chairKey: "ceo",
        rounds: 1,
      });
      if (r.ok) writes.push({ kind: "meeting", id: r.data.id, at: Date.now(), tenant: user.tenant, email: user.email });
      return { ok: r.ok, error: r.error ?? null };
    });

  const task = (user) =>
    record("task", async () => {
      const r = await trpc(user, "task.create", {
        tenantSlug: user.tenant,
        personaKey: "cfo",
        title: `Runway memo ${uid()}`,
        description: "Write a one-page memo on our runway if we hire two engineers next quarter.",
      });
      if (r.ok) writes.push({ kind: "task", id: r.data.id, at: Date.now(), tenant: user.tenant, email: user.email });
      return { ok: r.ok, error: r.error ?? null };
    });

  const upload = (user) =>
    record("upload", async () => {
      const id = uid();
      const res = await fetch(`${appUrl}/api/t/${user.tenant}/documents`, {
        method: "POST",
        headers: { origin: appUrl, cookie: cookieHeader(user), "content-type": "application/octet-stream", "x-filename": `chaos-${id}.pdf` },
        body: makePdf(`chaos-${id}`),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status !== 201) return { ok: false, error: `HTTP ${res.status}` };
      writes.push({ kind: "document", id: JSON.parse(text).document.id, at: Date.now(), tenant: user.tenant, email: user.email });
      return { ok: true };
    });

  const pollHealth = async () => {
    const h = { t: Date.now(), code: null, status: "unreachable" };
    try {
      const res = await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(3_000) });
      h.code = res.status;
      const body = await res.json().catch(() => ({}));
      h.status = body.status ?? `HTTP ${res.status}`;
    } catch (err) {
      h.status = err.name === "TimeoutError" ? "timeout" : "unreachable";
    }
    health.push(h);
  };

  const timers = [];
  const every = (ms, cap, kind, fn) =>
    timers.push(
      setInterval(() => {
        if (kind && inFlight[kind] >= cap) return;
        void fn(pick());
      }, ms),
    );
  every(rates.chatMs, 40, "chat", chat);
  every(rates.meetingMs, 10, "meeting", meeting);
  every(rates.taskMs, 10, "task", task);
  every(rates.uploadMs, 5, "upload", upload);
  every(1_000, Infinity, null, pollHealth);

  return {
    requests,
    writes,
    health,
    inFlight,
    /** Stops new arrivals and waits (up to `graceMs`) for the requests in flight. */
    stop: async (graceMs = 160_000) => {
      timers.forEach(clearInterval);
      const deadline = Date.now() + graceMs;
      while (Object.values(inFlight).some((v) => v > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    },
  };
};
