// A signed-in HTTP client for the drill: next-auth's credentials sign-in
// (CSRF token, then the callback) and the session cookie kept for later calls.
// A map of name → value is all the cookie handling one origin on loopback needs
// (no domains, paths or expiry to honour), so no cookie-jar library.
import { DEMO_PASSWORD } from "../../prisma/demo-data.mjs";

export class CookieClient {
  #cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size) headers.set("cookie", [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      if (i > 0) this.#cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
    return res;
  }

  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    const { csrfToken } = (await (await this.fetch(`${this.origin}/api/auth/csrf`)).json()) as { csrfToken: string };
    const res = await this.fetch(`${this.origin}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1", origin: this.origin },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/en/workspaces" }),
    });
    await res.text();
    if (![...this.#cookies.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in as ${email} failed (HTTP ${res.status})`);
  }

  async trpcMutation(procedure: string, input: unknown): Promise<unknown> {
    const res = await this.fetch(`${this.origin}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: this.origin },
      body: JSON.stringify({ json: input }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${procedure}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }
}
