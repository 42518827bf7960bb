import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./prisma.mjs";

const STAMP_FILE = path.join(ROOT, ".next/ocsuite-build-stamp");
const INPUTS = ["src", "packages", "inngest", "public", "next.config.mjs", "package.json", "package-lock.json", "prisma/schema.prisma", "postcss.config.mjs", "tsconfig.json"];

/** Hash of the paths, sizes and mtimes of everything that goes into a build. */
export const sourceStamp = () => {
  const h = createHash("sha256");
  const walk = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name !== "generated" && name !== "node_modules" && !name.endsWith(".test.ts")) walk(path.join(p, name));
      }
    } else h.update(`${path.relative(ROOT, p)}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const p of INPUTS) if (existsSync(path.join(ROOT, p))) walk(path.join(ROOT, p));
  return h.digest("hex");
};

export const buildIsCurrent = () =>
  existsSync(path.join(ROOT, ".next/BUILD_ID")) && existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, "utf8") === sourceStamp();

export const writeBuildStamp = () => writeFileSync(STAMP_FILE, sourceStamp());
