package io.github.singleinstance.jcstress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The verdict read from jcstress's console summary (jcstress 0.16 prints it in this form). */
class StressRunTest {

    private static String summary(String interesting, String failed, String error, String remaining) {
        return "RUN RESULTS:\n  Interesting tests: " + interesting + "\n\n  Failed tests: " + failed
                + "\n\n  Error tests: " + error + "\n\n  All remaining tests: " + remaining + "\n";
    }

    @Test
    void passesOnlyWhenEveryListedTestRanAndNoneFailed() {
        String passed =
                summary("No matches.", "No matches.", "No matches.", "2 matching test results. Use -v to print them.");
        assertThat(StressRun.verdict(passed, 2)).isNull();
        assertThat(StressRun.verdict(passed, 3)).isEqualTo("2 tests ran, 3 expected");
    }

    @Test
    void failedErrorOrInterestingResultsFail() {
        String rest = "1 matching test results.";
        assertThat(StressRun.verdict(summary("No matches.", "1 matching test results.", "No matches.", rest), 2))
                .startsWith("failed tests found");
        assertThat(StressRun.verdict(summary("No matches.", "No matches.", "1 matching test results.", rest), 2))
                .startsWith("error tests found");
        assertThat(StressRun.verdict(summary("1 matching test results.", "No matches.", "No matches.", rest), 2))
                .startsWith("interesting tests found");
    }

    @Test
    void aRunWithoutResultsFails() {
        assertThat(StressRun.verdict("FATAL: No matching tests.\n", 2)).startsWith("no run results");
        assertThat(StressRun.verdict(
                        "RUN RESULTS:\n  Interesting tests: No matches.\n  Failed tests: No matches.\n"
                                + "  Error tests: No matches.\n",
                        2))
                .isEqualTo("no test results in the output");
    }
}
