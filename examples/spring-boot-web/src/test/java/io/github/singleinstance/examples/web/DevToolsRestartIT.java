package io.github.singleinstance.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.testing.LaunchedJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.devtools.restart.Restarter;

/**
 * The application as a developer runs it with DevTools: exploded classes and libraries plus
 * {@code spring-boot-devtools}. A changed class restarts the application in the same JVM; the claim is kept (no
 * second claim, no forwarding to itself) and later launches reach the restarted context.
 */
class DevToolsRestartIT {

    // Named, not referenced: the application's classes are inside the repackaged jar, not on this test's classpath.
    private static final String MAIN_CLASS = "io.github.singleinstance.examples.web.WebToolApplication";
    private static final String CHANGED_CLASS = "io/github/singleinstance/examples/web/Launches.class";
    private static final Pattern URL = Pattern.compile("Launches are listed at (http://localhost:\\d+/)");

    private final String id = LaunchedJvm.freshId();
    private final List<LaunchedJvm> launched = new ArrayList<>();

    @TempDir
    Path directory;

    @AfterEach
    void stopAll() {
        launched.forEach(LaunchedJvm::close);
    }

    @Test
    void restartKeepsTheClaimAndLaterLaunchesReachTheRestartedContext() throws Exception {
        Path classes = explode(LaunchedJvm.exampleJar(), directory.resolve("app"));
        List<String> classpath = new ArrayList<>();
        classpath.add(classes.toString());
        try (Stream<Path> libraries = Files.list(directory.resolve("app/BOOT-INF/lib"))) {
            libraries.sorted().forEach(library -> classpath.add(library.toString()));
        }
        classpath.add(Path.of(Restarter.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString());
        LaunchedJvm primary = track(LaunchedJvm.startJava(
                "primary",
                id,
                directory,
                List.of("-cp", String.join(java.io.File.pathSeparator, classpath), MAIN_CLASS),
                "--server.port=0"));
        primary.awaitStdout(
                out -> count(out, "Launches are listed at") == 1, "the first start", WebToolApplicationIT.STARTUP);
        assertThat(primary.stdout()).contains("[  restartedMain]");
        assertThat(launchAndReply("before.txt"))
                .contains("opened before.txt in the running instance, pid " + primary.pid());

        Path changed = classes.resolve(CHANGED_CLASS);
        Files.setLastModifiedTime(changed, FileTime.from(Instant.now().plusSeconds(5)));
        primary.awaitStdout(
                out -> count(out, "Launches are listed at") == 2, "the restart", WebToolApplicationIT.STARTUP);

        String reply = launchAndReply("after.txt");
        Matcher urls = URL.matcher(primary.stdout());
        String latest = null;
        while (urls.find()) {
            latest = urls.group(1);
        }
        assertThat(reply)
                .isEqualTo("opened after.txt in the running instance, pid " + primary.pid() + ", " + latest + "\n");
        assertThat(count(primary.stdout(), "Restarting due to")).isEqualTo(1);
        assertThat(count(primary.stdout(), "Primary instance of " + id + " (pid " + primary.pid() + ")"))
                .isEqualTo(2);
        assertThat(WebToolApplicationIT.get(latest + "launches")).contains("\"args\":[\"after.txt\"]");
    }

    private String launchAndReply(String file) {
        LaunchedJvm second = track(LaunchedJvm.start("second", LaunchedJvm.exampleJar(), id, directory, file));
        assertThat(second.awaitExit(WebToolApplicationIT.EXIT))
                .as(second.describe())
                .isZero();
        return second.stdout();
    }

    private LaunchedJvm track(LaunchedJvm jvm) {
        launched.add(jvm);
        return jvm;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    /** Unpacks the executable jar's BOOT-INF into {@code into}; returns its classes directory. */
    private static Path explode(Path jar, Path into) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(file.entries())) {
                if (!entry.getName().startsWith("BOOT-INF/") || entry.isDirectory()) {
                    continue;
                }
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the target: " + entry.getName());
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, target);
                }
            }
        }
        return into.resolve("BOOT-INF/classes");
    }
}
