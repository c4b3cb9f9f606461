package io.github.singleinstance.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class TestEnvironmentTest {

    @Test
    void aMissingToolSkipsTheTestWithItsReason() {
        assertThatThrownBy(() -> TestEnvironment.requireOrSkip(false, false, "bwrap is not installed"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("bwrap is not installed");
    }

    @Test
    void inStrictModeAMissingToolFailsTheTestNamingTheReasonAndTheFlag() {
        assertThatThrownBy(() -> TestEnvironment.requireOrSkip(true, false, "bwrap is not installed"))
                .isInstanceOf(AssertionError.class)
                .isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("bwrap is not installed")
                .hasMessageContaining("SINGLE_INSTANCE_TEST_STRICT=true");
    }

    @Test
    void anAvailableToolNeitherSkipsNorFails() {
        assertThatCode(() -> TestEnvironment.requireOrSkip(true, true, "unused"))
                .doesNotThrowAnyException();
        assertThatCode(() -> TestEnvironment.requireOrSkip(false, true, "unused"))
                .doesNotThrowAnyException();
    }

    @Test
    void aTestThatDoesNotApplyIsSkippedWithItsReason() {
        assertThatThrownBy(() -> TestEnvironment.applicableOnlyIf(false, "Java 22+ only"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("Java 22+ only");
        assertThatCode(() -> TestEnvironment.applicableOnlyIf(true, "unused")).doesNotThrowAnyException();
    }
}
