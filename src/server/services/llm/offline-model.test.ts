import type { LanguageModelV4Prompt, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { composeOfflineAnswer, createOfflineModel, OFFLINE_DISCLOSURE, OFFLINE_MODEL_ID } from "./offline-model";
import { compileSystemPrompt, formatContextBlock, getBuiltInPersona, PERSONA_KEYS } from "../personas/templates";

const question = "Should we raise the Pro plan price next quarter?";
const passages = [
  { title: "Board memo Q3", text: "Churn on the Pro plan fell to 2% after onboarding changes. Margins remain thin." },
  { title: "Pricing study", text: "Customers on the Pro plan would accept a 10% price rise according to the survey. Competitors charge more." },
];
const prompt = (withContext = true): LanguageModelV4Prompt => [
  { role: "system", content: `${compileSystemPrompt({ persona: getBuiltInPersona("cfo"), tenantProfile: { name: "Acme" } })}${withContext ? `\n\n${formatContextBlock(passages)}` : ""}` },
  { role: "user", content: [{ type: "text", text: question }] },
];

const readAll = async (stream: ReadableStream<LanguageModelV4StreamPart>) => {
  const parts: LanguageModelV4StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
};

describe("offline model", () => {
  it("is deterministic", async () => {
    const m = createOfflineModel({ chunkDelayMs: 0 });
    const a = await m.doGenerate({ prompt: prompt() });
    const b = await m.doGenerate({ prompt: prompt() });
    expect(a.content).toEqual(b.content);
    expect(composeOfflineAnswer(prompt())).toBe(composeOfflineAnswer(prompt()));
  });

  it("streams word chunks, with a delay, that concatenate to the full answer, and reports word-count usage", async () => {
    const m = createOfflineModel({ personaKey: "cfo", chunkDelayMs: 5 });
    const t0 = performance.now();
    const { stream } = await m.doStream({ prompt: prompt() });
    const parts = await readAll(stream);
    const elapsed = performance.now() - t0;
    const deltas = parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : []));
    const full = composeOfflineAnswer(prompt(), "cfo");
    expect(deltas.length).toBe(full.split(/\s+/).filter(Boolean).length);
    expect(deltas.every((d) => d.trim().split(/\s+/).length === 1)).toBe(true);
    expect(deltas.join("")).toBe(full);
    expect(elapsed).toBeGreaterThanOrEqual((deltas.length - 1) * 5 * 0.8);
    expect(parts[0]!.type).toBe("stream-start");
    const finish = parts.at(-1)!;
    expect(finish.type).toBe("finish");
    if (finish.type !== "finish") throw new Error("unreachable");
    expect(finish.usage.outputTokens.total).toBe(deltas.length);
    const promptWords = `${prompt()[0]!.content as string}\n${question}`.split(/\s+/).filter(Boolean).length;
    expect(finish.usage.inputTokens.total).toBe(promptWords);
  });

  it("speaks in the persona's voice: each persona opens differently", () => {
    const openings = PERSONA_KEYS.map((k) => composeOfflineAnswer(prompt(false), k).split("\n")[0]);
    expect(new Set(openings).size).toBe(PERSONA_KEYS.length);
    expect(composeOfflineAnswer(prompt(false), "general-counsel")).toContain(getBuiltInPersona("general-counsel").opening);
    // Recognised from the system prompt when no key is given.
    expect(composeOfflineAnswer(prompt(false))).toContain(getBuiltInPersona("cfo").opening);
  });

  it("addresses the question and quotes and cites the retrieved passages, most relevant first", () => {
    const a = composeOfflineAnswer(prompt(), "cfo");
    expect(a).toContain(question);
    expect(a).toContain('"Customers on the Pro plan would accept a 10% price rise according to the survey." — Pricing study [2]');
    expect(a).toContain("Board memo Q3 [1]");
    expect(a.indexOf("[2]")).toBeLessThan(a.indexOf("[1]"));
    const none = composeOfflineAnswer(prompt(false), "cfo");
    expect(none).toContain("no documents");
    expect(none).not.toContain("[1]");
  });

  it("always states plainly that it is the built-in offline model", async () => {
    for (const k of PERSONA_KEYS) expect(composeOfflineAnswer(prompt(), k)).toContain(OFFLINE_DISCLOSURE);
    expect(composeOfflineAnswer([])).toContain(OFFLINE_DISCLOSURE);
    expect(OFFLINE_DISCLOSURE).toMatch(/built-in offline model, not by an AI provider/);
  });

  it("works through the AI SDK (generateText and streamText)", async () => {
    const model = createOfflineModel({ personaKey: "cto", chunkDelayMs: 0 });
    const g = await generateText({ model, prompt: "How should we scale the API?" });
    expect(g.text).toContain(getBuiltInPersona("cto").opening);
    expect(g.usage.outputTokens).toBe(g.text.split(/\s+/).filter(Boolean).length);
    const s = streamText({ model, prompt: "How should we scale the API?" });
    let streamed = "";
    for await (const d of s.textStream) streamed += d;
    expect(streamed).toBe(g.text);
    expect(model.modelId).toBe(OFFLINE_MODEL_ID);
  });

  it("stops when aborted", async () => {
    const model = createOfflineModel({ personaKey: "ceo", chunkDelayMs: 20 });
    const ac = new AbortController();
    const { stream } = await model.doStream({ prompt: prompt(), abortSignal: ac.signal });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    ac.abort();
    await expect((async () => { for (;;) { const r = await reader.read(); if (r.done) return; } })()).rejects.toThrow();
  });
});
