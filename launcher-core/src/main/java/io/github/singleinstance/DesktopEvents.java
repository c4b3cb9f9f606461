package io.github.singleinstance;

import io.github.singleinstance.internal.os.Processes;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in bridge from the desktop's own "open" events to the primary's launch handler. On macOS, Finder, the Dock and
 * {@code open} do not start a second process of a running application: they send it Apple Events (open files, open a
 * URL of a scheme it registered, reopen). This bridge turns each into a {@link Launch} of its {@link Launch.Kind} and
 * gives it to the same handler that receives forwarded launches:
 *
 * <pre>
 * PrimaryInstance primary = SingleInstance.builder().build().claimOrExit(args);
 * DesktopEvents.bridge(primary, launch -&gt; switch (launch.kind()) {   // instead of primary.onLaunch(handler)
 *     case COMMAND_LINE, OPEN_FILES -&gt; open(launch.args());            // each returns a Reply
 *     case OPEN_URI -&gt; openLink(launch.args().get(0));
 *     case ACTIVATE -&gt; toFront();
 * });
 * </pre>
 * Events come through {@link java.awt.Desktop} ({@code setOpenFileHandler}, {@code setOpenURIHandler}, an
 * {@code AppReopenedListener}) where the platform supports them: macOS. Elsewhere (Linux, Windows, headless) nothing is
 * installed and the bridge is {@link PrimaryInstance#onLaunch}. Call it early in {@code main}, before the first window
 * shows: macOS delivers the files that started the application as an open-files event too.
 *
 * <p>The handler is called one launch at a time, forwarded and desktop launches alike (in the order they take a fair
 * lock). Desktop launches are handed to a daemon thread, {@code single-instance-desktop-events}, in the order the events
 * came; their {@code senderPid} is this process's own, their working directory this process's, and their reply goes
 * nowhere (no process waits for it; a handler that throws is logged). <b>Never run on macOS</b> in this project (its CI
 * is Linux): the bridge's logic is tested with a fake event source, the {@code java.awt.Desktop} calls are not.
 */
public final class DesktopEvents {

    private static final Logger LOG = LoggerFactory.getLogger(DesktopEvents.class);
    static final String THREAD_NAME = "single-instance-desktop-events";

    private DesktopEvents() {}

    /**
     * Sets {@code handler} as {@code primary}'s launch handler (in place of {@link PrimaryInstance#onLaunch}) and
     * delivers the desktop's open events to it too, where the platform has them.
     *
     * @return the kinds of desktop launch the platform delivers: empty where it has none (then this is
     *     {@code primary.onLaunch(handler)})
     */
    public static Set<Launch.Kind> bridge(PrimaryInstance primary, LaunchHandler handler) {
        return bridge(primary, handler, new AwtDesktopEventSource());
    }

    static Set<Launch.Kind> bridge(PrimaryInstance primary, LaunchHandler handler, Source source) {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(handler, "handler");
        ReentrantLock oneAtATime = new ReentrantLock(true);
        LaunchHandler serialized = launch -> {
            oneAtATime.lock();
            try {
                return handler.handle(launch);
            } finally {
                oneAtATime.unlock();
            }
        };
        ExecutorService events = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        Set<Launch.Kind> kinds;
        try {
            kinds = Set.copyOf(source.install(new Forwarding(serialized, events)));
        } catch (RuntimeException | LinkageError e) { // no java.desktop module, a security manager, ...
            LOG.debug("desktop events are not available here: {}", e.toString());
            kinds = Set.of();
        }
        if (kinds.isEmpty()) {
            events.shutdown();
        } else {
            LOG.debug("desktop events bridged to the launch handler: {}", kinds);
        }
        primary.onLaunch(serialized);
        return kinds;
    }

    /** Where desktop events come from: {@link java.awt.Desktop} ({@link AwtDesktopEventSource}), or a test's fake. */
    interface Source {

        /** Installs {@code listener} for the events this platform has; returns their kinds (empty: none). */
        Set<Launch.Kind> install(Listener listener);
    }

    /** The desktop events, as the platform reports them; called on any thread (AWT's event thread on macOS). */
    interface Listener {

        void openFiles(List<File> files);

        void openUri(URI uri);

        void activate();
    }

    /** Turns events into launches and hands them, in order, to the handler's thread. */
    private static final class Forwarding implements Listener {

        private final LaunchHandler handler;
        private final ExecutorService events;

        Forwarding(LaunchHandler handler, ExecutorService events) {
            this.handler = handler;
            this.events = events;
        }

        @Override
        public void openFiles(List<File> files) {
            List<String> paths = new ArrayList<>();
            for (File file : files) {
                paths.add(file.getAbsolutePath());
            }
            deliver(paths, Launch.Kind.OPEN_FILES);
        }

        @Override
        public void openUri(URI uri) {
            deliver(List.of(uri.toString()), Launch.Kind.OPEN_URI);
        }

        @Override
        public void activate() {
            deliver(List.of(), Launch.Kind.ACTIVATE);
        }

        private void deliver(List<String> args, Launch.Kind kind) {
            Launch launch = new Launch(
                    args, Path.of("").toAbsolutePath(), Processes.currentPid(), Instant.now(), new byte[0], kind);
            events.execute(() -> {
                try {
                    Reply reply = handler.handle(launch);
                    LOG.debug("desktop launch {} handled: {}", kind, reply);
                } catch (Exception | Error e) {
                    LOG.warn("the launch handler failed on a desktop launch {}", launch, e);
                }
            });
        }
    }
}
