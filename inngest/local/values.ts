/**
 * Small pure helpers for values the executor stores or receives: ids, Json
 * column values, errors and response bodies. Kept apart so every other part
 * can use them without importing each other.
 */
import { randomBytes } from "node:crypto";
import { Prisma } from "~/server/db/generated/client";
import type { JsonError } from "./types";

/** Time-ordered ids (base-36 ms timestamp first), so ordering by id roughly follows creation. */
export const newId = () => `${Date.now().toString(36).padStart(9, "0")}${randomBytes(8).toString("hex")}`;

/** A value for a Json column; null/undefined become JSON null (Prisma refuses a bare null). */
export const json = (v: unknown) => (v === undefined || v === null ? Prisma.JsonNull : v) as unknown as Prisma.InputJsonValue;

/** Whatever the SDK (or a transport failure) reported, as the `{name, message}` error Inngest memoizes. */
export const toJsonError = (e: unknown, fallback = "Error"): JsonError => {
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    const message = typeof o.message === "string" ? o.message : typeof o.error === "string" ? o.error : JSON.stringify(o);
    return { ...o, name: typeof o.name === "string" ? o.name : fallback, message };
  }
  return { name: fallback, message: String(e) };
};

/** A response body as JSON when it is JSON, else the raw text (SDK errors are not always JSON). */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
