/**
 * A single-consumer async queue: the producer pushes whether or not anyone is
 * reading (an LLM call or a chat turn runs to the end and records itself even
 * when the client has gone), and the consumer iterates at its own pace.
 * `end(err)` makes the iterator throw `err` after the items already queued.
 */
export type AsyncQueue<T> = {
  push: (item: T) => void;
  end: (err?: unknown) => void;
  iterable: AsyncIterable<T>;
};

export function asyncQueue<T>(): AsyncQueue<T> {
  const items: T[] = [];
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  return {
    push: (item) => {
      items.push(item);
      notify();
    },
    end: (err) => {
      done = true;
      failure = err ?? null;
      notify();
    },
    iterable: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (items.length > 0) {
            yield items.shift()!;
            continue;
          }
          if (done) {
            if (failure) throw failure;
            return;
          }
          await new Promise<void>((r) => (wake = r));
        }
      },
    },
  };
}
