import { describe, expect, it } from "vitest";
import { MODEL_FAMILIES, normaliseModel } from "./model-family";

describe("normaliseModel", () => {
  it("maps provider model ids to their family, ignoring case, snapshots and provider prefixes", () => {
    const cases: [string, string][] = [
      ["gpt-4o", "gpt-4o"],
      ["GPT-4o-2024-08-06", "gpt-4o"],
      ["openai/gpt-4o-mini", "gpt-4o-mini"],
      ["gpt-4.1-nano", "gpt-4.1"],
      ["gpt-4-turbo", "gpt-4"],
      ["o3", "o3"],
      ["o3-mini-2025-01-31", "o3"],
      ["o1-preview", "o1"],
      ["claude-3-5-sonnet-20241022", "claude-sonnet"],
      ["claude-sonnet-4-5", "claude-sonnet"],
      ["claude-opus-4-1", "claude-opus"],
      ["claude-3-haiku-20240307", "claude-haiku"],
      ["llama3.1:8b", "llama"],
      ["meta-llama/Llama-3.3-70B-Instruct", "llama"],
      ["mistral-large-latest", "mistral"],
      ["mixtral-8x7b", "mistral"],
      ["ocsuite-offline-1", "offline"],
      ["text-embedding-3-small", "text-embedding"],
      ["nomic-embed-text", "nomic-embed"],
      ["qwen2.5:14b", "qwen"],
    ];
    for (const [id, family] of cases) expect(normaliseModel(id), id).toBe(family);
  });

  it("anything else, empty or unknown, is other", () => {
    for (const id of ["", "   ", null, undefined, "mock-model", "ft:acme-7f3a", "my-company-model", "gpt4all-j", "polo3"]) expect(normaliseModel(id)).toBe("other");
  });

  it("returns only values of the bounded set, however many distinct strings come in", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(normaliseModel(`${["gpt-4o", "claude-3-opus", "llama3", "x"][i % 4]}-${Math.random().toString(36).slice(2)}`));
    expect([...seen].every((f) => MODEL_FAMILIES.includes(f as never))).toBe(true);
    expect(seen.size).toBe(4);
  });
});
