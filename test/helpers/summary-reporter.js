// Prints one plain closing line ("jest: N passed, N failed, N skipped") that CI reads as the run's verdict, and
// before it the slowest files, which is where the suite's time budget goes.
const SLOWEST = 15;

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({ file: r.testFilePath, seconds: (r.perfStats.end - r.perfStats.start) / 1000 }))
      .filter((r) => Number.isFinite(r.seconds))
      .sort((a, b) => b.seconds - a.seconds);
    const total = files.reduce((sum, r) => sum + r.seconds, 0);
    if (files.length > 1) {
      const lines = files
        .slice(0, SLOWEST)
        .map((r) => `  ${r.seconds.toFixed(1).padStart(7)} s  ${r.file.replace(`${process.cwd()}/`, "")}`);
      process.stdout.write(
        `\nslowest test files (of ${files.length}, ${total.toFixed(0)} s in all):\n${lines.join("\n")}\n`,
      );
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numFailedTestSuites + results.numRuntimeErrorTestSuites;
    const failed =
      results.numFailedTests + (results.numFailedTests === 0 && failedSuites > 0 ? failedSuites : 0);
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
