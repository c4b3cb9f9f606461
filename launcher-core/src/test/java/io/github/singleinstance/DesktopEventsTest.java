package io.github.singleinstance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The desktop-event bridge's logic, with a fake event source in place of java.awt.Desktop (macOS: never run here). */
class DesktopEventsTest {

    private final FakePrimary primary = new FakePrimary();
    private final FakeSource source = new FakeSource(EnumSet.allOf(Launch.Kind.class));
    private final List<Launch> handled = Collections.synchronizedList(new ArrayList<>());

    @Test
    void desktopEventsReachTheLaunchHandlerAsLaunchesOfTheirKind() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        Set<Launch.Kind> kinds = DesktopEvents.bridge(
                primary,
                launch -> {
                    handled.add(launch);
                    three.countDown();
                    return Reply.ok();
                },
                source);
        assertThat(kinds).containsExactlyInAnyOrder(Launch.Kind.values());

        source.listener.openFiles(List.of(new File("notes.txt"), new File("/abs/todo.txt")));
        source.listener.openUri(URI.create("viewer://open?doc=42"));
        source.listener.activate();
        assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(handled)
                .extracting(Launch::kind)
                .containsExactly(Launch.Kind.OPEN_FILES, Launch.Kind.OPEN_URI, Launch.Kind.ACTIVATE);
        assertThat(handled.get(0).args())
                .containsExactly(Path.of("notes.txt").toAbsolutePath().toString(), "/abs/todo.txt");
        assertThat(handled.get(1).args()).containsExactly("viewer://open?doc=42");
        assertThat(handled.get(2).args()).isEmpty();
        for (Launch launch : handled) {
            assertThat(launch.senderPid())
                    .as("from this process")
                    .isEqualTo(ProcessHandle.current().pid());
            assertThat(launch.workingDirectory()).isEqualTo(Path.of("").toAbsolutePath());
        }
    }

    @Test
    void forwardedLaunchesReachTheSameHandlerUnchanged() throws Exception {
        DesktopEvents.bridge(
                primary,
                launch -> {
                    handled.add(launch);
                    return Reply.ok("seen " + launch.args());
                },
                source);
        Launch forwarded = new Launch(List.of("a.txt"), Path.of("/work"), 4242, Instant.now(), new byte[0]);
        assertThat(forwarded.kind()).isEqualTo(Launch.Kind.COMMAND_LINE); // the old constructor
        assertThat(primary.handler.handle(forwarded).message()).isEqualTo("seen [a.txt]");
        assertThat(handled).containsExactly(forwarded);
    }

    @Test
    void theHandlerRunsOneLaunchAtATimeForwardedAndDesktopAlikeAndDesktopOnesInOrder() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(40);
        DesktopEvents.bridge(
                primary,
                launch -> {
                    if (inside.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    Thread.sleep(2);
                    handled.add(launch);
                    inside.decrementAndGet();
                    all.countDown();
                    return Reply.ok();
                },
                source);
        Thread forwarding = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                try {
                    primary.handler.handle(
                            new Launch(List.of("cli-" + i), Path.of("/"), 1, Instant.now(), new byte[0]));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        forwarding.start();
        for (int i = 0; i < 20; i++) {
            source.listener.openUri(URI.create("viewer://" + i));
        }
        forwarding.join();
        assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps.get()).as("calls that overlapped another").isZero();
        List<String> uris = new ArrayList<>();
        for (Launch launch : handled) {
            if (launch.kind() == Launch.Kind.OPEN_URI) {
                uris.add(launch.args().get(0));
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("viewer://" + i);
        }
        assertThat(uris).containsExactlyElementsOf(expected);
    }

    @Test
    void aHandlerThatThrowsOnADesktopLaunchDoesNotStopTheNextOnes() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        DesktopEvents.bridge(
                primary,
                launch -> {
                    if (launch.kind() == Launch.Kind.ACTIVATE) {
                        throw new IllegalStateException("no window yet");
                    }
                    second.countDown();
                    return Reply.ok();
                },
                source);
        source.listener.activate();
        source.listener.openFiles(List.of(new File("/x")));
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whereThePlatformHasNoDesktopEventsItIsJustOnLaunchAndStartsNoThread() throws Exception {
        FakeSource none = new FakeSource(EnumSet.noneOf(Launch.Kind.class));
        LaunchHandler handler = launch -> Reply.ok("x");
        long threadsBefore = bridgeThreads();
        assertThat(DesktopEvents.bridge(primary, handler, none)).isEmpty();
        assertThat(primary.handler
                        .handle(new Launch(List.of(), Path.of("/"), 1, Instant.now(), new byte[0]))
                        .message())
                .isEqualTo("x");
        assertThat(bridgeThreads()).isEqualTo(threadsBefore);
    }

    @Test
    void aSourceThatFailsToInstallIsLikeNoDesktopEvents() {
        DesktopEvents.Source broken = listener -> {
            throw new UnsupportedOperationException("no desktop here");
        };
        assertThat(DesktopEvents.bridge(primary, launch -> Reply.ok(), broken)).isEmpty();
        assertThat(primary.handler).isNotNull();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void javaAwtDesktopHasNoneOfTheseEventsOnLinux() {
        assertThat(new AwtDesktopEventSource().install(new DesktopEvents.Listener() {
                    @Override
                    public void openFiles(List<File> files) {}

                    @Override
                    public void openUri(URI uri) {}

                    @Override
                    public void activate() {}
                }))
                .isEmpty();
    }

    private static long bridgeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(DesktopEvents.THREAD_NAME))
                .count();
    }

    /** Captures the handler set with onLaunch. */
    private static final class FakePrimary implements PrimaryInstance {

        volatile LaunchHandler handler;

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public void onLaunch(LaunchHandler handler) {
            this.handler = handler;
        }

        @Override
        public void onLaunchAsync(io.github.singleinstance.AsyncLaunchHandler handler) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public void onReplace(Runnable action) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public long launchesReceived() {
            return 0;
        }

        @Override
        public void close() {}
    }

    /** Reports the given kinds as supported and keeps the listener, for the test to fire events through. */
    private static final class FakeSource implements DesktopEvents.Source {

        private final Set<Launch.Kind> kinds;
        DesktopEvents.Listener listener;

        FakeSource(Set<Launch.Kind> kinds) {
            this.kinds = kinds;
        }

        @Override
        public Set<Launch.Kind> install(DesktopEvents.Listener listener) {
            this.listener = listener;
            return kinds;
        }
    }
}
