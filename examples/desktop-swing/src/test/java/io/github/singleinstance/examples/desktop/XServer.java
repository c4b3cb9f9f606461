package io.github.singleinstance.examples.desktop;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real X server for tests: Xvfb on a display number it picks itself ({@code -displayfd}), with openbox as its
 * window manager, and the X command-line tools run against it. Shared with the JavaFX example's tests (this module's
 * test-jar). Not thread-safe: one test thread drives it.
 */
public final class XServer implements AutoCloseable {

    /** The programs the desktop tests run, with the Debian package of each. */
    public static final List<String[]> TOOLS = List.of(
            new String[] {"Xvfb", "xvfb"},
            new String[] {"openbox", "openbox"},
            new String[] {"xdotool", "xdotool"},
            new String[] {"xmessage", "x11-utils"},
            new String[] {"xprop", "x11-utils"},
            new String[] {"xwininfo", "x11-utils"},
            new String[] {"import", "imagemagick"});

    private final Process xvfb;
    private final Process windowManager;
    private final String display;

    private XServer(Process xvfb, String display, Process windowManager) {
        this.xvfb = xvfb;
        this.display = display;
        this.windowManager = windowManager;
    }

    /** The tools of {@link #TOOLS} not found on the PATH, as "program (package)". */
    public static List<String> missingTools() {
        return missingTools(TOOLS);
    }

    /** The tools of {@code tools} ({program, Debian package}) not found on the PATH, as "program (package)". */
    public static List<String> missingTools(List<String[]> tools) {
        List<String> missing = new ArrayList<>();
        for (String[] tool : tools) {
            if (!onPath(tool[0])) {
                missing.add(tool[0] + " (" + tool[1] + ")");
            }
        }
        return missing;
    }

    /**
     * Why a desktop test cannot run where {@code missing} (tools, libraries) is not installed, or null where nothing is
     * missing.
     */
    public static String notInstalled(List<String> missing) {
        return missing.isEmpty()
                ? null
                : "not installed: " + String.join(", ", missing) + " (.ci/install-test-tools installs them)";
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    public static XServer start() throws Exception {
        Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1024x768x24", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        // -displayfd: Xvfb writes the display number it took once it accepts clients (the stream stays open: closing
        // it could end Xvfb with SIGPIPE)
        String number =
                new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        if (number == null || !number.strip().matches("[0-9]+")) {
            xvfb.destroy();
            throw new IllegalStateException("Xvfb did not start: " + number + ", exit "
                    + (xvfb.waitFor(5, TimeUnit.SECONDS) ? xvfb.exitValue() : "none"));
        }
        String display = ":" + number.strip();
        Path log = Files.createTempFile("openbox-", ".log");
        ProcessBuilder openbox =
                new ProcessBuilder("openbox").redirectErrorStream(true).redirectOutput(log.toFile());
        openbox.environment().put("DISPLAY", display);
        XServer server = new XServer(xvfb, display, openbox.start());
        try {
            server.await(
                    "openbox manages the screen",
                    Duration.ofSeconds(30),
                    () -> server.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK"),
                    out -> out.contains("window id"));
        } catch (AssertionError e) {
            server.close();
            throw new AssertionError(e.getMessage() + "; openbox on " + display + " says: " + Files.readString(log), e);
        } finally {
            Files.deleteIfExists(log);
        }
        return server;
    }

    public String display() {
        return display;
    }

    /** A process builder for an X tool, with {@code DISPLAY} set to this server. */
    private ProcessBuilder command(List<String> command) {
        ProcessBuilder builder = io.github.singleinstance.testsupport.TestJvm.withCleanEnvironment(
                new ProcessBuilder(command)); // no SINGLE_INSTANCE_* leaks in
        builder.environment().put("DISPLAY", display);
        builder.environment().remove("WAYLAND_DISPLAY");
        return builder;
    }

    /** Runs an X tool to its end (at most 30 s); its standard output, stripped, or "" if it failed. */
    public String run(String... command) {
        try {
            Process process = command(List.of(command))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("still running after 30 s: " + String.join(" ", command));
            }
            return process.exitValue() == 0 ? out.strip() : "";
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** The id of the window that has the focus (xdotool getactivewindow), or "" if none. */
    public String activeWindow() {
        return run("xdotool", "getactivewindow");
    }

    public String windowName(String window) {
        return run("xdotool", "getwindowname", window);
    }

    /** "Normal", "Iconic" or "Withdrawn": the window manager's state of a client window (ICCCM WM_STATE). */
    public String windowState(String window) {
        String out = run("xprop", "-id", window, "WM_STATE");
        int at = out.indexOf("window state: ");
        return at < 0
                ? "(no WM_STATE)"
                : out.substring(at + 14).lines().findFirst().orElse("").strip();
    }

    /** The first visible window whose title contains {@code name}, polling up to {@code timeout}. */
    public String awaitWindow(String name, Duration timeout) {
        return await(
                        "a visible window named '" + name + "'",
                        timeout,
                        () -> run("xdotool", "search", "--onlyvisible", "--name", name),
                        out -> !out.isEmpty())
                .lines()
                .findFirst()
                .orElseThrow();
    }

    /** Polls {@code probe} every 100 ms until {@code done} accepts its value; fails with the last value seen. */
    public <T> T await(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "not within " + timeout.toSeconds() + " s: " + what + "; last seen: '" + last + "'");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            last = probe.get();
        }
        return last;
    }

    /** Writes a PNG of the whole screen ({@code import -window root}); returns false if that failed. */
    public boolean screenshot(Path png) {
        return screenshot(png, new String[0]);
    }

    /**
     * Writes a PNG of one window with its window manager's frame, cut from the screen as it is shown (the client's
     * position and size from xwininfo, the frame's borders from _NET_FRAME_EXTENTS; xdotool's position of a framed
     * window is off by the frame).
     */
    public boolean screenshot(String window, Path png) {
        java.util.Map<String, Integer> geometry = new java.util.HashMap<>();
        run("xwininfo", "-id", window)
                .lines()
                .map(line -> line.strip().split(":\\s*", 2))
                .filter(pair -> pair.length == 2 && pair[1].matches("-?[0-9]+"))
                .forEach(pair -> geometry.put(pair[0], Integer.parseInt(pair[1])));
        String extents = run("xprop", "-id", window, "_NET_FRAME_EXTENTS")
                .replaceAll("^[^=]*=", "")
                .strip();
        String[] ltrb = extents.split(",\\s*");
        if (ltrb.length != 4
                || !geometry.keySet()
                        .containsAll(List.of("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height"))) {
            return false;
        }
        int left = Integer.parseInt(ltrb[0]);
        int right = Integer.parseInt(ltrb[1]);
        int top = Integer.parseInt(ltrb[2]);
        int bottom = Integer.parseInt(ltrb[3]);
        String crop = (geometry.get("Width") + left + right) + "x" + (geometry.get("Height") + top + bottom) + "+"
                + (geometry.get("Absolute upper-left X") - left) + "+" + (geometry.get("Absolute upper-left Y") - top);
        return screenshot(png, "-crop", crop, "+repage", "-strip"); // -strip: no time stamp, same bytes for same pixels
    }

    private boolean screenshot(Path png, String... options) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.deleteIfExists(png);
        } catch (IOException e) {
            return false;
        }
        List<String> command = new ArrayList<>(List.of("import", "-window", "root"));
        command.addAll(List.of(options));
        command.add(png.toString());
        run(command.toArray(String[]::new));
        return Files.isRegularFile(png);
    }

    @Override
    public void close() {
        for (Process process : List.of(windowManager, xvfb)) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
