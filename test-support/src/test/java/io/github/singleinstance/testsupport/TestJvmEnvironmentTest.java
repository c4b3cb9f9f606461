package io.github.singleinstance.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TestJvmEnvironmentTest {

    private static final Map<String, String> RUNNER = runner();

    private static Map<String, String> runner() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin");
        env.put("HOME", "/home/runner");
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.put("XDG_RUNTIME_DIR", "/run/user/1000");
        env.put("SystemRoot", "C:\\Windows"); // Windows spells it so
        env.put("SINGLE_INSTANCE_FORWARD_TIMEOUT", "1ms");
        env.put("SINGLE_INSTANCE_BACKEND", "portable");
        env.put("single_instance_id", "lower-case-still-ours");
        env.put("JAVA_TOOL_OPTIONS", "-Dsingle-instance.total-timeout=1ms");
        env.put("MAVEN_OPTS", "-Xmx4g");
        env.put("GITHUB_TOKEN", "secret");
        return env;
    }

    @Test
    void aChildInheritsTheAllowListAndNoneOfTheLibrarysVariables() {
        assertThat(TestJvm.childEnvironment(RUNNER))
                .containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "XDG_RUNTIME_DIR", "SystemRoot")
                .containsEntry("PATH", "/usr/bin");
    }

    @Test
    void aProcessBuilderCleanedByTheHelperKeepsNoSingleInstanceVariable() {
        ProcessBuilder builder = new ProcessBuilder("true");
        builder.environment().putAll(RUNNER);
        TestJvm.withCleanEnvironment(builder);
        assertThat(builder.environment().keySet())
                .noneMatch(name -> name.toUpperCase(java.util.Locale.ROOT).startsWith("SINGLE_INSTANCE_"))
                .doesNotContain("JAVA_TOOL_OPTIONS", "MAVEN_OPTS", "GITHUB_TOKEN")
                .contains("PATH", "HOME");
    }

    @Test
    void aVariableTheTestSetsReachesTheChildEvenOneOfTheLibrarys() {
        TestJvm.Builder builder = TestJvm.builder("env")
                .environment(Map.of("SINGLE_INSTANCE_FORWARD_TIMEOUT", "3s", "EXAMPLE", "x"))
                .withoutEnvironment("EXAMPLE");
        Map<String, String> child = builder.childEnvironment();
        assertThat(child).containsEntry("SINGLE_INSTANCE_FORWARD_TIMEOUT", "3s").doesNotContainKey("EXAMPLE");
        assertThat(child.keySet())
                .filteredOn(name -> name.startsWith("SINGLE_INSTANCE_"))
                .containsExactly("SINGLE_INSTANCE_FORWARD_TIMEOUT");
    }

    @Test
    void aStartedChildSeesOnlyTheCleanEnvironmentAndWhatTheTestSet() {
        TestJvm.Builder builder = TestJvm.builder("print-env")
                .mainClass(System.getProperty("java.class.path"), PrintEnvironment.class.getName())
                .jvmArgs(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto"))
                .environment(Map.of("SET_BY_THE_TEST", "yes"));
        try (TestJvm child = builder.start()) {
            assertThat(child.awaitExit(java.time.Duration.ofSeconds(20)))
                    .as(child.describe())
                    .isZero();
            List<String> names = List.of(child.stdout().strip().split("\n"));
            assertThat(names).contains("SET_BY_THE_TEST");
            assertThat(names)
                    .allMatch(name -> name.equals("SET_BY_THE_TEST")
                            || name.startsWith("LC_")
                            || name.startsWith("JAVA_MAIN_CLASS_") // macOS' java launcher sets it
                            || TestJvm.INHERITED_VARIABLES.contains(name.toUpperCase(java.util.Locale.ROOT)));
        }
    }

    /** Prints the names of its environment, one a line. */
    public static final class PrintEnvironment {
        public static void main(String[] args) {
            System.getenv().keySet().forEach(System.out::println);
        }
    }
}
