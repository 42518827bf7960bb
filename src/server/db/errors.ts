import { Prisma } from "./generated/client";

/** A unique constraint (or unique index, partial ones included) refused the write: Prisma's P2002. */
export const isUniqueViolation = (err: unknown): boolean => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
