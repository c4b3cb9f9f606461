package io.github.singleinstance.examples.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Swing example as an installed Linux application: {@code src/packaging/linux/make-deb.sh} packages it with
 * jpackage as {@code sinotes}, {@code dpkg -i} installs it into {@value #INSTALL_DIR} with a menu entry and the file type
 * {@value #MIME_TYPE}, and files are opened from the desktop's side with {@code xdg-open} on Xvfb with openbox: a
 * second file opens in the window of the first launch. The last test removes the package and finds nothing left.
 *
 * <p>Needs root (dpkg -i) and the tools of {@link #TOOLS} (.ci/install-test-tools installs them): skipped without
 * them, a failure in strict mode. Runs on Java 21 and later only: the package carries a runtime made from the test's
 * own JDK, and the example needs Java 21's {@code --enable-native-access} option in it.
 *
 * <p>The installed application's id is its own, fixed; every process the test starts gets a clean environment with a
 * home and an {@code XDG_RUNTIME_DIR} of its own (where the library keeps the claim), so runs do not meet each other or
 * a user's copy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstalledPackageIT {

    static final String INSTALL_DIR = "/opt/sinotes";
    static final Path LAUNCHER = Path.of(INSTALL_DIR, "bin", "sinotes");
    static final String MIME_TYPE = "application/x-sinotes";
    static final Path DESKTOP_FILE = Path.of("/usr/share/applications/sinotes-sinotes.desktop");
    static final Path MIME_PACKAGE = Path.of("/usr/share/mime/packages/sinotes-sinotes-MimeInfo.xml");
    static final Path MIME_CACHE = Path.of("/usr/share/applications/mimeinfo.cache");

    /** Beyond the X server's tools: the programs packaging, installing and opening need, with their Debian packages. */
    static final List<String[]> TOOLS = List.of(
            new String[] {"fakeroot", "fakeroot"},
            new String[] {"dpkg-deb", "dpkg-dev"},
            new String[] {"xdg-open", "xdg-utils"},
            new String[] {"xdg-mime", "xdg-utils"},
            // xdg-open's file type without a desktop environment: without it, file(1), which says text/plain
            new String[] {"mimetype", "libfile-mimeinfo-perl"},
            new String[] {"update-mime-database", "shared-mime-info"},
            new String[] {"update-desktop-database", "desktop-file-utils"});

    /** One JDK leg is enough: dpkg and xdg-utils do the installing, whatever JDK made the package. */
    @RegisterExtension
    static final DesktopSession session = DesktopSession.onXServer(InstalledPackageIT::missingTools)
            .onlyIf(
                    Runtime.version().feature() >= 21,
                    "the packaged runtime needs Java 21+ (--enable-native-access); running on "
                            + Runtime.version().feature());

    private static String notRoot;

    @TempDir
    static Path build;

    /** Beyond the X server's tools: what packaging, installing and opening need. */
    private static List<String> missingTools() {
        List<String> absent = new ArrayList<>(XServer.missingTools(TOOLS));
        if (!Files.isDirectory(Path.of("/etc/xdg/menus"))) {
            // xdg-desktop-menu, run by the package's postinst, refuses to install a menu entry without one
            absent.add("/etc/xdg/menus (lxmenu-data)");
        }
        if (!Files.isExecutable(Path.of(System.getProperty("java.home"), "bin", "jpackage"))) {
            absent.add("jpackage (a JDK, not a JRE)");
        }
        return absent;
    }

    /** After the X server started (the session's extension, where the tests can run at all). */
    @BeforeAll
    @Timeout(180)
    static void packageAndInstall() throws Exception {
        if (!session.runs()) {
            return;
        }
        if (!"0"
                .equals(new String(
                                new ProcessBuilder("id", "-u")
                                        .start()
                                        .getInputStream()
                                        .readAllBytes(),
                                StandardCharsets.US_ASCII)
                        .strip())) {
            notRoot = "not root: dpkg -i installs into /opt and /usr/share";
            return;
        }
        Path script = Path.of(System.getProperty("packaging.dir"), "make-deb.sh");
        exec(
                build,
                List.of(
                        script.toString(),
                        DesktopExampleIT.JAR,
                        build.resolve("deb").toString()));
        exec(
                build,
                List.of(
                        "dpkg",
                        "-i",
                        build.resolve("deb/sinotes_0.1.0_amd64.deb").toString()));
    }

    @BeforeEach
    void requireRoot() {
        TestEnvironment.requireOrSkip(notRoot == null, notRoot);
    }

    /** Before the session's extension stops the X server. */
    @AfterAll
    static void removeThePackage() throws Exception {
        if (Files.exists(Path.of("/var/lib/dpkg/info/sinotes.list"))) {
            exec(build, List.of("dpkg", "--purge", "sinotes")); // the last test failed before it removed it
        }
    }

    /** Runs a command to its end with a clean environment; fails with its output unless it exits 0. */
    private static String exec(Path workingDirectory, List<String> command) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(DesktopSession.baseEnvironment());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home")); // make-deb.sh's jpackage
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 120 s: " + command);
        }
        assertThat(process.exitValue())
                .as(command + " exits 0; it said: " + out)
                .isZero();
        return out;
    }

    /** {@code xdg-open file} in the test's desktop session, its output in {@code <name>.out}, {@code <name>.err}. */
    private Process open(String name, Path file) throws IOException {
        return session.start(name, session.dir(), List.of("xdg-open", file.toString()));
    }

    /** A later {@code xdg-open}: waits for its end (the launcher it ran, which forwarded), asserts exit 0. */
    private String openAgain(String name, Path file) throws Exception {
        return session.awaitSuccess(
                name,
                open(name, file),
                Duration.ofSeconds(30),
                () -> "; the application processes: " + applicationProcesses());
    }

    private Path note(String name) throws IOException {
        return Files.writeString(session.dir().resolve(name), "a note\n");
    }

    private String sessionTool(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(session.environment());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }

    /** The processes running the installed launcher (the application's JVM runs in it: no separate java process). */
    private static List<ProcessHandle> applicationProcesses() {
        return DesktopSession.processes(
                info -> info.command().map(LAUNCHER.toString()::equals).orElse(false));
    }

    /** Which applications open which types, as update-desktop-database found them in the menu entries. */
    private static String mimeCache() throws IOException {
        return Files.exists(MIME_CACHE) ? Files.readString(MIME_CACHE) : "";
    }

    private void awaitActive(String window) {
        XServer server = session.server();
        server.await("the application's window is active", DesktopSession.FOCUS, server::activeWindow, window::equals);
    }

    @Test
    @Order(1)
    @Timeout(180)
    void aSecondFileOpenedFromTheDesktopOpensInTheRunningWindow() throws Exception {
        assertThat(sessionTool("xdg-mime", "query", "default", MIME_TYPE))
                .isEqualTo(DESKTOP_FILE.getFileName().toString());
        Path first = note("notes.sinotes");
        assertThat(sessionTool("xdg-mime", "query", "filetype", first.toString()))
                .isEqualTo(MIME_TYPE);

        Process primary = open("first", first);
        String window = session.awaitWindow(NotesWindow.TITLE, "first", primary);
        assertThat(session.server().windowName(window)).isEqualTo(NotesWindow.TITLE + "notes.sinotes");
        List<ProcessHandle> application = applicationProcesses();
        assertThat(application).hasSize(1);
        session.activateAnotherWindow();

        Path second = note("todo.sinotes");
        assertThat(openAgain("second", second)).isEqualTo("opened 1 file(s) in the running window\n");
        assertThat(applicationProcesses()).as("the one application process").isEqualTo(application);
        awaitActive(window);
        assertThat(session.server().windowName(window)).isEqualTo(NotesWindow.TITLE + "todo.sinotes");
        assertThat(session.output("first.out")).contains("opened " + first + "\n", "opened " + second + "\n");

        session.activateAnotherWindow();
        Path spaced = note("notes é ü.sinotes");
        assertThat(openAgain("third", spaced)).isEqualTo("opened 1 file(s) in the running window\n");
        assertThat(applicationProcesses()).as("the one application process").isEqualTo(application);
        awaitActive(window);
        assertThat(session.output("first.out")).contains("opened " + spaced + "\n");
    }

    @Test
    @Order(2)
    @Timeout(120)
    void purgingThePackageLeavesNoFilesNoMenuEntryAndNoFileType() throws Exception {
        assertThat(DESKTOP_FILE).exists();
        assertThat(mimeCache()).contains(MIME_TYPE);

        exec(build, List.of("dpkg", "--purge", "sinotes"));

        assertThat(Path.of(INSTALL_DIR)).doesNotExist();
        assertThat(DESKTOP_FILE).doesNotExist();
        assertThat(MIME_PACKAGE).doesNotExist();
        assertThat(Path.of("/usr/share/mime/application/x-sinotes.xml")).doesNotExist();
        assertThat(mimeCache()).doesNotContain(MIME_TYPE);
        assertThat(sessionTool(
                        "xdg-mime", "query", "filetype", note("left.sinotes").toString()))
                .isNotEqualTo(MIME_TYPE);
        assertThat(sessionTool("xdg-mime", "query", "default", MIME_TYPE)).isEmpty();
    }
}
