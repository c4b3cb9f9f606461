package io.github.singleinstance.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.testing.LaunchedJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar's fast path (single-instance-spring-boot-launcher's layout): a second launch forwards before any
 * Spring class loads; a first launch starts Spring Boot as usual and claims once, from the run listener; a launch that
 * bypasses the fast launcher (Spring Boot's JarLauncher named on the command line) still forwards from the run
 * listener.
 */
class FastLauncherIT {

    private static final String FORWARD_ONLY = "io.github.singleinstance.internal.ForwardOnly";

    private final String id = LaunchedJvm.freshId();
    private final List<LaunchedJvm> launched = new ArrayList<>();

    @TempDir
    Path directory;

    @AfterEach
    void stopAll() {
        launched.forEach(LaunchedJvm::close);
    }

    @Test
    void secondLaunchForwardsBeforeSpringLoadsAndTheRunListenerPathStillWorks() {
        LaunchedJvm primary = launch("primary", List.of("-jar", jar()), "--server.port=0");
        String url = WebToolApplicationIT.awaitUrl(primary);
        assertThat(primary.stdout()).as("the first launch started Spring Boot").contains(WebToolApplicationIT.READY);
        assertThat(count(primary.stdout(), "Primary instance of " + id + " "))
                .as(primary.stdout())
                .isEqualTo(1);
        assertThat(primary.classLoadingLog())
                .as("the fast launcher looked for a primary, found none and started Spring Boot")
                .contains(FORWARD_ONLY, "org.springframework.boot.loader.launch.JarLauncher");

        LaunchedJvm fast = launch("fast", List.of("-jar", jar()), "fast.txt");

        assertThat(fast.awaitExit(WebToolApplicationIT.EXIT))
                .as(fast.describe())
                .isZero();
        assertThat(fast.stdout())
                .isEqualTo("opened fast.txt in the running instance, pid " + primary.pid() + ", " + url + "\n");
        assertThat(fast.stderr()).isEmpty();
        String fastClasses = fast.classLoadingLog();
        assertThat(fastClasses).contains(FORWARD_ONLY);
        assertThat(fastClasses.lines().filter(line -> line.contains("org.springframework")))
                .as("classes of Spring loaded by the fast second launch")
                .isEmpty();

        LaunchedJvm viaRunListener = launch(
                "run-listener",
                List.of(
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        jar(),
                        "org.springframework.boot.loader.launch.JarLauncher"),
                "slow.txt");

        assertThat(viaRunListener.awaitExit(WebToolApplicationIT.EXIT))
                .as(viaRunListener.describe())
                .isZero();
        assertThat(viaRunListener.stdout())
                .isEqualTo("opened slow.txt in the running instance, pid " + primary.pid() + ", " + url + "\n");
        assertThat(viaRunListener.classLoadingLog())
                .as("forwarded from the run listener, without the fast launcher")
                .contains("io.github.singleinstance.spring.SingleInstanceRunListener")
                .doesNotContain(FORWARD_ONLY);
        assertThat(count(primary.stdout(), "Primary instance of ")).isEqualTo(1);
        assertThat(primary.isAlive()).isTrue();
    }

    private LaunchedJvm launch(String name, List<String> launch, String... args) {
        LaunchedJvm jvm = LaunchedJvm.startJava(name, id, directory, launch, args);
        launched.add(jvm);
        return jvm;
    }

    private static String jar() {
        return LaunchedJvm.exampleJar().toString();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
