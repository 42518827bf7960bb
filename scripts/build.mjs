#!/usr/bin/env node
// `npm run build`: next build, then a stamp of the sources so `npm start`
// knows the build is current and does not rebuild.
import { bin, run } from "./lib/prisma.mjs";
import { writeBuildStamp } from "./lib/build-stamp.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
await run(bin("next"), ["build"]);
writeBuildStamp();
