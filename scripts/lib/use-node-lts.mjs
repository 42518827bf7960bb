// Side-effect import, listed first in `npm start` and `npm test`: on a Node
// older than 22 it re-runs the command under the LTS (see node-runtime.mjs).
// Modules without top-level await evaluate in import order, so this runs
// before the script's other imports.
import { ensureSupportedNode } from "./node-runtime.mjs";

ensureSupportedNode();
