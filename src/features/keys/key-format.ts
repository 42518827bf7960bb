"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { RouterOutputs } from "~/trpc/react";

// Labels, badge colours and dates shared by the workspace security page and
// /admin/keys. Statuses come from services/key-rotation (rotation-rows.ts,
// key-status.ts); an unknown one (a newer server) falls back to its raw code.

export type KeyStatus = RouterOutputs["keys"]["status"];
export type Operation = KeyStatus["history"][number];
type OperationStatus = Operation["status"];

/** The statuses that hold the tenant's one in-flight slot: the screens poll only while one of these shows. */
const IN_FLIGHT: readonly OperationStatus[] = ["pending", "reencrypting", "verifying"];
export const isInFlight = (status: OperationStatus | undefined): boolean => status !== undefined && IN_FLIGHT.includes(status);

/** Often enough to watch a small workspace's rotation finish, and only while one runs. */
export const KEY_POLL_MS = 2_000;

export const OPERATION_VARIANTS = {
  pending: "neutral",
  reencrypting: "accent",
  verifying: "accent",
  "waiting-retire": "warning",
  completed: "success",
  failed: "danger",
  "rolled-back": "neutral",
} as const;

export const VERSION_VARIANTS = { active: "success", "decrypt-only": "warning", retired: "neutral", destroyed: "danger" } as const;

const KINDS = ["data-key", "rollback", "master-key"] as const;
const TRIGGERS = ["manual", "schedule", "drill"] as const;
// Narrows a code from the server to the known ones, so the message key it builds is a typed one.
const isKeyOf = <T extends object>(table: T, v: string): v is Extract<keyof T, string> => Object.hasOwn(table, v);
const isOneOf = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

/** Localised words for operations and versions, and the page's date formats. */
export const useKeyFormat = () => {
  const t = useTranslations("keys");
  const te = useTranslations("errors");
  const format = useFormatter();
  const dateTime = (d: Date) => format.dateTime(d, "long");
  const date = (d: Date) => format.dateTime(d, "short");
  const number = (n: number) => format.number(n);
  const status = (s: string) => (isKeyOf(OPERATION_VARIANTS, s) ? t(`opStatus.${s}`) : s);
  const kind = (k: string) => (isOneOf(KINDS, k) ? t(`kind.${k}`) : k);
  const trigger = (k: string) => (isOneOf(TRIGGERS, k) ? t(`trigger.${k}`) : k);
  const versionStatus = (s: string) => (isKeyOf(VERSION_VARIANTS, s) ? t(`versionStatus.${s}`) : s);
  /** "v1 → v2" for a data-key operation, "master key v3" for a re-wrap; the target may not be known before the job begins. */
  const versions = (op: Pick<Operation, "kind" | "fromVersion" | "toVersion" | "kekVersion">) => {
    if (op.kind === "master-key") return op.kekVersion === null ? "—" : t("masterVersions", { version: op.kekVersion });
    if (op.fromVersion === null) return "—";
    return op.toVersion === null ? t("versionsPending", { from: op.fromVersion }) : t("versionsValue", { from: op.fromVersion, to: op.toVersion });
  };
  /** A failure reason as a sentence (errors.<reason>), or the raw code when the server sent one this build does not know. */
  const reason = (code: string) => (te.has(code as "generic") ? te(code as "generic") : t("unknownReason", { code }));
  return { dateTime, date, number, status, kind, trigger, versionStatus, versions, reason };
};
