// How `npm test` reads its arguments (scripts/test.mjs). Kept apart so a test can pin the rules.
//
//   npm test                          every step, in order
//   npm test -- unit e2e              just those steps, in the order given
//   npm test -- e2e --grep @critical  the step, and everything from the first `-` argument on goes
//                                     to that step's tool (Playwright here): the @critical subset
//   npm test -- unit -- src/lib       a lone `--` also starts the pass-through (for a file filter)
//
// Step names come first; a word that is not a step before the pass-through is a typo, refused with
// the list of steps (rather than silently handed to a tool). Pass-through goes to the last step
// named and only to a step that runs a tool taking arguments (vitest, Playwright), so
// `npm test -- --grep x` without a step is refused too: it would otherwise run every step unfiltered.

/**
 * @param {string[]} argv the arguments after the script name
 * @param {string[]} stepNames every step, in run order
 * @param {Set<string>} takesArgs the steps that accept pass-through arguments
 * @returns {{ ok: true, steps: string[], extra: string[] } | { ok: false, error: string }}
 */
export const parseTestArgs = (argv, stepNames, takesArgs) => {
  const split = argv.findIndex((a) => a.startsWith("-"));
  const named = split === -1 ? argv : argv.slice(0, split);
  const extra = split === -1 ? [] : argv.slice(argv[split] === "--" ? split + 1 : split);
  const unknown = named.filter((s) => !stepNames.includes(s));
  if (unknown.length) return { ok: false, error: `unknown step(s): ${unknown.join(", ")}; steps are: ${stepNames.join(", ")}` };
  if (extra.length && named.length === 0) {
    return { ok: false, error: `arguments ${extra.join(" ")} need a step before them, e.g. \`npm test -- e2e --grep @critical\`` };
  }
  const last = named.at(-1) ?? "";
  if (extra.length && !takesArgs.has(last)) {
    return { ok: false, error: `step ${last} takes no arguments; these do: ${[...takesArgs].join(", ")}` };
  }
  return { ok: true, steps: named.length ? named : stepNames, extra };
};
