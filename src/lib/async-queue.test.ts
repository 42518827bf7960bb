import { describe, expect, it } from "vitest";
import { asyncQueue } from "./async-queue";

const drain = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe("asyncQueue", () => {
  it("delivers items pushed before and after the consumer starts, in order", async () => {
    const q = asyncQueue<number>();
    q.push(1);
    const result = drain(q.iterable);
    q.push(2);
    await Promise.resolve();
    q.push(3);
    q.end();
    expect(await result).toEqual([1, 2, 3]);
  });

  it("throws the end error after the queued items", async () => {
    const q = asyncQueue<string>();
    q.push("partial");
    q.end(new Error("boom"));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const x of q.iterable) seen.push(x);
      })(),
    ).rejects.toThrow("boom");
    expect(seen).toEqual(["partial"]);
  });
});
