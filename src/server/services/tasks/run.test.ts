/** The pure parts of a task run: the prompts and the stored deliverable's shape. */
import { describe, expect, it } from "vitest";
import { draftPrompt, finalDeliverable, planPrompt, reviewPrompt, type TaskPassage } from "./prompts";

const task = {
  id: "t1",
  tenantId: "tenant",
  createdById: null,
  personaKey: "cfo",
  title: "Cash plan",
  description: "Plan the cash for Q1.",
  dueDate: new Date("2099-02-01T00:00:00Z"),
  status: "running",
  revision: 1,
  deliverable: null,
  feedback: null,
};
const passages: TaskPassage[] = [
  { n: 1, chunkId: "c1", documentId: "d1", title: "Budget 2099", page: 4, text: "Cash reserves are 3 months." },
  { n: 2, chunkId: "c2", documentId: "d2", title: "Board notes", page: null, text: "Keep 6 months of runway." },
];

describe("finalDeliverable", () => {
  it("adds a title heading and a Sources list for the cited passages only", () => {
    const md = finalDeliverable("Keep reserves high [2].", "Cash plan", passages);
    expect(md).toBe("# Cash plan\n\nKeep reserves high [2].\n\n## Sources\n\n[2] Board notes");
  });
  it("keeps the model's own heading and Sources section", () => {
    const own = "## Plan\n\nReserves [1].\n\n**Sources**\n[1] Budget 2099, p. 4";
    expect(finalDeliverable(own, "Cash plan", passages)).toBe(own);
  });
  it("adds no Sources section when nothing is cited", () => {
    expect(finalDeliverable("# Plan\n\nNo documents apply.", "Cash plan", passages)).toBe("# Plan\n\nNo documents apply.");
  });
  it("clips to 100k characters", () => {
    expect(finalDeliverable(`# T\n\n${"x".repeat(200_000)}`, "T", []).length).toBe(100_000);
  });
});

describe("prompts", () => {
  it("brief the persona on the task, and on a revision on the previous deliverable and the feedback", () => {
    expect(planPrompt(task)).toContain("Task: Cash plan\nDue: 2099-02-01\nDescription:\nPlan the cash for Q1.");
    expect(planPrompt(task)).not.toContain("<feedback>");
    const revised = { ...task, revision: 2, deliverable: "# Old plan", feedback: "Add a worst case." };
    for (const p of [planPrompt(revised), draftPrompt(revised, "1. Do it"), reviewPrompt(revised, "draft text")]) {
      expect(p).toContain("This is revision 2");
      expect(p).toContain("<previous-deliverable>\n# Old plan\n</previous-deliverable>");
      expect(p).toContain("<feedback>\nAdd a worst case.\n</feedback>");
    }
    expect(draftPrompt(task, "1. Do it")).toContain("Your plan:\n1. Do it");
    expect(reviewPrompt(task, "draft text")).toContain("<draft>\ndraft text\n</draft>");
  });
});
