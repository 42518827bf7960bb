/**
 * Shared helpers for this package's tests (not exported from index.ts).
 */
import { randomBytes } from "node:crypto";
import { InMemoryDataKeyStore } from "./data-key-store";
import { createEnvelope, type EnvelopeOptions } from "./envelope";
import { EnvKeyRing } from "./env-key-ring";
import { CryptoError, type CryptoErrorCode } from "./errors";
import type { KeyRing } from "./key-ring";

export const masterKey = (): string => randomBytes(32).toString("base64");

/** A key ring that counts unwraps, to observe the data-key cache. */
export const countingKeyRing = (inner: KeyRing): KeyRing & { unwraps: number } => {
  const ring = {
    unwraps: 0,
    kekId: inner.kekId,
    currentVersion: () => inner.currentVersion(),
    wrap: inner.wrap.bind(inner),
    unwrap: (...args: Parameters<KeyRing["unwrap"]>) => {
      ring.unwraps += 1;
      return inner.unwrap(...args);
    },
  };
  return ring;
};

export const setup = (overrides: Partial<EnvelopeOptions> & { spec?: string } = {}) => {
  const keyRing = countingKeyRing(new EnvKeyRing(overrides.spec ?? `1:${masterKey()}`));
  const store = new InMemoryDataKeyStore();
  let clock = Date.parse("2026-12-01T00:00:00Z");
  const tick = (ms: number) => {
    clock += ms;
  };
  const envelope = createEnvelope({ keyRing, store, now: () => clock, ...overrides });
  return { envelope, keyRing, store, tick, now: () => clock };
};

/** Runs `fn` and returns the CryptoError code it failed with; fails the test if it succeeded. */
export const errorCode = async (fn: () => unknown): Promise<CryptoErrorCode> => {
  let result: unknown;
  try {
    result = await fn();
  } catch (err) {
    if (err instanceof CryptoError) return err.code;
    throw err;
  }
  throw new Error(`expected a CryptoError, got a result: ${typeof result === "string" ? JSON.stringify(result.slice(0, 40)) : typeof result}`);
};

export const caught = async (fn: () => unknown): Promise<CryptoError> => {
  try {
    await fn();
  } catch (err) {
    if (err instanceof CryptoError) return err;
    throw err;
  }
  throw new Error("expected a CryptoError");
};
