// Only when Slipway runs from its TypeScript sources (the tests, `node --import tsx`): a worker
// thread does not inherit tsx's loader, so this registers it before loading the tasks. From
// dist/, the pool loads work-tasks.js directly and this file is not used.
import { register } from "tsx/esm/api";

register();
const { default: runWorkTask } = await import("./work-tasks.ts");
export default runWorkTask;
