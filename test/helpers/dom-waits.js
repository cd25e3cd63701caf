// The DOM suites' waits (findBy…, waitFor, for the pane and the web app alike) give up only as the test's own
// time runs out: a short limit of their own fails a correct test on a busy machine, and speed is measured in the
// benches. Set here once, for every suite that renders, whichever fixtures it uses. A second short of the test's
// limit, so a wait that never ends shows what was on screen rather than jest's bare timeout.
if (typeof document !== "undefined") {
  const { testTimeout } = require("../../jest.config.js");
  require("@testing-library/react").configure({ asyncUtilTimeout: testTimeout - 1000 });
}
