package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The library as a named module (its {@code module-info}): an application module compiles against the exported
 * package only, and runs as primary and as second launch on the module path, with JNA loaded by the primary on the
 * default backend (JNA reaches the native interfaces only through the module's {@code opens}).
 */
class ModulePathProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void anApplicationModuleClaimsAndForwardsOnTheModulePath() throws Exception {
        String id = Jvm.freshId("module-path");
        Path app = compile("app", """
                package demo.app;

                import io.github.singleinstance.PrimaryInstance;
                import io.github.singleinstance.Reply;
                import io.github.singleinstance.SingleInstance;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        PrimaryInstance primary = SingleInstance.builder().id("%s").build().claimOrExit(args);
                        primary.onLaunch(launch -> Reply.failure(4, "module primary got " + launch.args()));
                        System.out.println("PRIMARY " + Main.class.getModule().getName() + " "
                                + SingleInstance.class.getModule().getName());
                        Thread.sleep(120_000);
                    }
                }
                """.formatted(id));
        assertThat(app)
                .as("the application module compiles against the exported package")
                .isNotNull();

        try (TestJvm primary = start(app, "first")) {
            assertThat(primary.awaitLine("PRIMARY", WAIT)).isEqualTo("PRIMARY demo.app io.github.singleinstance");

            try (TestJvm second = start(app, "open", "a.txt")) {
                assertThat(second.awaitExit(WAIT)).as(second.describe()).isEqualTo(4);
                assertThat(second.stdout() + second.stderr()).contains("module primary got [open, a.txt]");
            }
        }
    }

    @Test
    void theInternalPackagesAreNotVisibleToApplicationModules() throws Exception {
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        Path app = compile("internal-user", """
                package demo.app;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(io.github.singleinstance.internal.claim.Claimer.class);
                    }
                }
                """, diagnostics);
        assertThat(app).as("compiling against an internal package must fail").isNull();
        assertThat(diagnostics.toString(StandardCharsets.UTF_8))
                .contains("package io.github.singleinstance.internal")
                .contains("does not export it");
    }

    private Path compile(String name, String mainSource) throws IOException {
        return compile(name, mainSource, new ByteArrayOutputStream());
    }

    /** Compiles module {@code demo.app}; returns its classes directory, or null if javac refused. */
    private Path compile(String name, String mainSource, ByteArrayOutputStream diagnostics) throws IOException {
        Path src = dir.resolve(name + "-src");
        Path classes = dir.resolve(name + "-classes");
        Files.createDirectories(src.resolve("demo/app"));
        Files.writeString(src.resolve("module-info.java"), "module demo.app { requires io.github.singleinstance; }\n");
        Files.writeString(src.resolve("demo/app/Main.java"), mainSource);
        List<String> javacArgs = List.of(
                "-d",
                classes.toString(),
                "--class-path",
                dir.resolve("nothing").toString(), // not the test's own classpath, javac's default in-process
                "--module-path",
                libraryModulePath(),
                src.resolve("module-info.java").toString(),
                src.resolve("demo/app/Main.java").toString());
        int rc = ToolProvider.getSystemJavaCompiler()
                .run(null, diagnostics, diagnostics, javacArgs.toArray(String[]::new));
        System.err.print(diagnostics.toString(StandardCharsets.UTF_8));
        if (rc != 0) {
            return null;
        }
        return classes;
    }

    private TestJvm start(Path app, String... args) {
        TestJvm.Builder jvm = TestJvm.builder("module-path-app")
                .jvmArgs(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=com.sun.jna"))
                .launch(List.of(
                        "--module-path",
                        libraryModulePath() + File.pathSeparator + app,
                        "-m",
                        "demo.app/demo.app.Main"))
                .args(args)
                .directory(dir);
        String backend = System.getProperty("single-instance.backend"); // the portable execution: portable here too
        if (backend != null) {
            jvm.systemProperty("single-instance.backend", backend);
        }
        return jvm.start();
    }

    /** The library's classes (a named module: they hold module-info.class), JNA and the SLF4J API; no Logback. */
    private static String libraryModulePath() {
        return String.join(
                File.pathSeparator,
                locationOf(SingleInstance.class),
                locationOf(Native.class),
                locationOf(LoggerFactory.class));
    }

    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
