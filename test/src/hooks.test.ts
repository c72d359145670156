/** Root hooks: every test's registered teardown runs after it, pass or fail. */
import { runTeardowns } from "./helpers/teardown.js";

afterEach(async () => {
  await runTeardowns();
});
