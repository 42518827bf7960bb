// What npm start may switch on for the address it serves on. The embedded
// default is a single-user install: the dev mailbox shows every magic link and
// provider URLs may reach this machine's private services (a local Ollama).
// Both are only safe while nobody else can reach the port, so on any address
// other than loopback they stay off and the operator is told why.

/** @param {string} host */
export const isLoopbackHost = (host) => {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
};

/**
 * @param {{ env: Record<string, string | undefined>, hostOption?: string, embedded?: boolean }} input
 * @returns {{ host: string, loopback: boolean, env: Record<string, string | undefined>, notes: string[] }}
 */
export const exposurePolicy = ({ env, hostOption, embedded = false }) => {
  const host = hostOption ?? env.HOST ?? "127.0.0.1";
  const loopback = isLoopbackHost(host);
  /** @type {Record<string, string | undefined>} */
  const out = {};
  /** @type {string[]} */
  const notes = [];
  if (!env.SMTP_URL) {
    if (loopback) out.DEV_MAILBOX = env.DEV_MAILBOX ?? "1";
    else {
      out.DEV_MAILBOX = "0";
      if (env.DEV_MAILBOX === "1" || env.DEV_MAILBOX === "true" || env.DEV_MAILBOX === undefined)
        notes.push(`dev mailbox off: it shows sign-in links to whoever opens it, and ${host} is reachable from other machines; set SMTP_URL to deliver mail`);
    }
  }
  if (embedded && env.OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS === undefined) {
    out.OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS = loopback ? "true" : "false";
    if (!loopback)
      notes.push(`OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS left false: on ${host} a workspace admin could point a provider at this machine's private services; set it to true to allow that anyway`);
  }
  return { host, loopback, env: out, notes };
};
