package io.github.singleinstance.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.testing.HeldStartup;
import io.github.singleinstance.spring.testing.LaunchedJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Starts the packaged web tool twice with a fresh id and a free port, and checks what the second launch does. */
class WebToolApplicationIT {

    static final Duration STARTUP = Duration.ofSeconds(120);
    static final Duration EXIT = Duration.ofSeconds(60);
    static final String READY = "Started WebToolApplication";
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
    void secondLaunchOpensItsFileInTheRunningInstanceAndExitsWithoutStartingItself() throws Exception {
        LaunchedJvm primary = launch("primary", directory, "first.txt", "--server.port=0");
        String url = awaitUrl(primary);
        Path elsewhere = Files.createDirectory(directory.resolve("elsewhere"));

        LaunchedJvm second = launch("second", elsewhere, "report.txt");

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(second.stdout())
                .isEqualTo("opened report.txt in the running instance, pid " + primary.pid() + ", " + url + "\n");
        assertThat(second.stderr()).isEmpty();
        String json = get(url + "launches");
        assertThat(json)
                .contains(
                        "\"args\":[\"first.txt\",\"--server.port=0\"]",
                        "\"args\":[\"report.txt\"]",
                        "\"workingDirectory\":\"" + elsewhere.toRealPath() + "\"",
                        "\"pid\":" + second.pid());
        assertThat(json.indexOf("first.txt")).isLessThan(json.indexOf("report.txt"));
    }

    @Test
    void launchDuringStartupIsHeldAnsweredStillStartingAndPublishedAfterTheApplicationIsReady() throws Exception {
        Path release = directory.resolve("release-startup");
        LaunchedJvm primary = LaunchedJvm.startHeld(
                "primary",
                LaunchedJvm.exampleJar(),
                id,
                directory,
                release,
                List.of("-Dsingle-instance.startup-reply-timeout=1s"),
                "--server.port=0");
        launched.add(primary);
        primary.awaitStdout(HeldStartup.HELD, STARTUP); // claimed, and held before its context is refreshed

        LaunchedJvm second = launch("second", directory, "early.txt");

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        // the reply only a launch held during startup gets (after the startup reply timeout, 1 s here)
        assertThat(second.stdout())
                .isEqualTo(id + ": the running instance (pid " + primary.pid()
                        + ") is still starting; it will handle this launch once it is ready\n");
        String received = "Launch from pid " + second.pid() + ": [early.txt]";
        assertThat(primary.stdout())
                .as("the launch arrived while the primary was held, before it was ready")
                .doesNotContain(HeldStartup.RELEASED, READY, received);

        Files.createFile(release);

        primary.awaitStdout(received, STARTUP);
        String log = primary.stdout();
        assertThat(log.indexOf(HeldStartup.RELEASED)).as(log).isNotNegative().isLessThan(log.indexOf(READY));
        assertThat(log.indexOf(READY)).as(log).isLessThan(log.indexOf(received));
        assertThat(get(awaitUrl(primary) + "launches")).contains("\"args\":[\"early.txt\"]");
    }

    @Test
    void launchWithoutAFileIsToldWhereTheRunningInstanceIs() {
        LaunchedJvm primary = launch("primary", directory, "--server.port=0");
        String url = awaitUrl(primary);

        LaunchedJvm second = launch("second", directory);

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(second.stdout())
                .isEqualTo("nothing to open; the running instance is pid " + primary.pid() + ", " + url + "\n");
    }

    @Test
    @EnabledOnOs(OS.LINUX) // reads /proc to see which backend the primary uses
    void worksWithThePortableBackendForced() throws Exception {
        List<String> portable = List.of(
                "-Dsingle-instance.backend=portable",
                "-jar",
                LaunchedJvm.exampleJar().toString());
        LaunchedJvm primary = LaunchedJvm.startJava("primary", id, directory, portable, "--server.port=0");
        launched.add(primary);
        String url = awaitUrl(primary);
        primary.assertUsesThePortableBackend();

        LaunchedJvm second = LaunchedJvm.startJava("second", id, directory, portable, "notes.txt");
        launched.add(second);

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(second.stdout())
                .isEqualTo("opened notes.txt in the running instance, pid " + primary.pid() + ", " + url + "\n");
        assertThat(get(url + "launches")).contains("\"args\":[\"notes.txt\"]");
    }

    LaunchedJvm launch(String name, Path workingDirectory, String... args) {
        LaunchedJvm jvm = LaunchedJvm.start(name, LaunchedJvm.exampleJar(), id, workingDirectory, args);
        launched.add(jvm);
        return jvm;
    }

    /** Waits until the primary is ready and returns its page's address. */
    static String awaitUrl(LaunchedJvm primary) {
        primary.awaitStdout(out -> URL.matcher(out).find(), "the page's address", STARTUP);
        Matcher matcher = URL.matcher(primary.stdout());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    static String get(String url) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
