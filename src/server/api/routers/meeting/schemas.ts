import { z } from "zod";
import { MEETING_STATUSES, ZCreateMeetingInput, ZMeetingId } from "~/server/services/meetings/meetings";
import { STANCES } from "~/server/services/meetings/outcome";

export { ZCreateMeetingInput, ZMeetingId };

export const ZMeetingStatus = z.enum(MEETING_STATUSES);

export const ZCreateMeetingOutput = z.object({ id: z.string() });

export const ZListMeetingsOutput = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      status: ZMeetingStatus,
      createdAt: z.date(),
      itemCount: z.number().int(),
      turnCount: z.number().int(),
      totalTurns: z.number().int(),
    }),
  ),
});

export const ZMeetingDetail = z.object({
  meeting: z.object({
    id: z.string(),
    title: z.string(),
    goal: z.string(),
    agenda: z.array(z.string()),
    personaKeys: z.array(z.string()),
    chairKey: z.string(),
    rounds: z.number().int(),
    status: ZMeetingStatus,
    errorReason: z.string().nullable(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
    createdAt: z.date(),
  }),
  personas: z.array(z.object({ key: z.string(), name: z.string() })),
  turns: z.array(
    z.object({
      id: z.string(),
      itemIndex: z.number().int(),
      round: z.number().int(),
      personaKey: z.string(),
      content: z.string(),
      provider: z.string().nullable(),
      model: z.string().nullable(),
      offline: z.boolean(),
      inputTokens: z.number().int().nullable(),
      outputTokens: z.number().int().nullable(),
      durationMs: z.number().int().nullable(),
      createdAt: z.date(),
    }),
  ),
  outcomes: z.array(
    z.object({
      itemIndex: z.number().int(),
      decision: z.string(),
      positions: z.array(z.object({ personaKey: z.string(), stance: z.enum(STANCES), rationale: z.string(), derived: z.literal(true).optional() })),
      dissent: z.string().nullable(),
      /** True when the outcome was derived from the turns, not written by the chair (offline model or unusable answer). */
      derived: z.boolean(),
      createdAt: z.date(),
    }),
  ),
  actionItems: z.array(
    z.object({ id: z.string(), itemIndex: z.number().int(), ownerPersonaKey: z.string(), description: z.string(), dueDate: z.date().nullable(), taskId: z.string().nullable() }),
  ),
  /** Turns plus the chair's closes done, of all of them. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
});

export const ZMeetingStatusOutput = z.object({ id: z.string(), status: ZMeetingStatus });

export const ZMinutesOutput = z.object({ markdown: z.string(), filename: z.string() });
