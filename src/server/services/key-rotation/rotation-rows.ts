import "server-only";
import type { KeyRotation } from "~/server/db/generated/client";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import type { RotationKind } from "./rotation-log";

/** Where an operation stands. Only the first three hold the tenant's one in-flight slot (a partial unique index). */
export type RotationStatus = "pending" | "reencrypting" | "verifying" | "waiting-retire" | "completed" | "failed" | "rolled-back";
export const IN_FLIGHT: readonly RotationStatus[] = ["pending", "reencrypting", "verifying"];
const TERMINAL: readonly RotationStatus[] = ["completed", "failed", "rolled-back"];

export type RotationTrigger = "manual" | "schedule" | "drill";

export const isTerminal = (status: string): boolean => (TERMINAL as readonly string[]).includes(status);

export const loadRotation = async (rotationId: string): Promise<KeyRotation> => {
  const row = await db.keyRotation.findUnique({ where: { id: rotationId } });
  if (!row) throw notFound("Key rotation");
  return row;
};

export const kindOf = (row: Pick<KeyRotation, "kind">): RotationKind => row.kind as RotationKind;

export const rotationInProgress = (cause?: unknown) =>
  new AppError("CONFLICT", "rotationInProgress", "Another key operation is still running for this workspace; wait for it to finish", { cause });

/** What screens and procedures show of an operation: counts and versions, never key material. */
export type RotationDto = {
  id: string;
  kind: RotationKind;
  status: RotationStatus;
  trigger: string;
  fromVersion: number | null;
  toVersion: number | null;
  kekVersion: number | null;
  rowsTotal: number;
  rowsDone: number;
  batches: number;
  error: string | null;
  retireAfter: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
};

export const toRotationDto = (r: KeyRotation): RotationDto => ({
  id: r.id,
  kind: kindOf(r),
  status: r.status as RotationStatus,
  trigger: r.trigger,
  fromVersion: r.fromVersion,
  toVersion: r.toVersion,
  kekVersion: r.kekVersion,
  rowsTotal: r.rowsTotal,
  rowsDone: r.rowsDone,
  batches: r.batches,
  error: r.error,
  retireAfter: r.retireAfter,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
});
