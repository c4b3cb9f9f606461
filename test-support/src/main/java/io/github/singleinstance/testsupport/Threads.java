package io.github.singleinstance.testsupport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

/** Waits for another thread's state instead of sleeping and hoping it got there. */
public final class Threads {

    private static final Path TASKS = Path.of("/proc/self/task");

    private Threads() {}

    /**
     * Waits until {@code thread} is blocked inside a frame that {@code inside} accepts: its stack has such a frame, and
     * it waits in Java ({@code WAITING}, {@code TIMED_WAITING}, {@code BLOCKED}) or sits in a native call that sleeps
     * (a native top frame and, where {@code /proc/self/task} shows it, the kernel state {@code S}: a thread in a
     * blocking system call is {@code RUNNABLE} to Java). Fails with the thread's state and stack if it is not within
     * {@code timeout} or ends first.
     *
     * <p>Where the kernel state is read, the native thread is found by its name, which the JVM gives it from the
     * Java thread's name when it starts (the first 15 characters): give the thread a short, unique name.
     */
    public static void awaitBlocked(Thread thread, Predicate<StackTraceElement> inside, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Path> task = Optional.empty();
        while (true) {
            Thread.State state = thread.getState();
            StackTraceElement[] stack = thread.getStackTrace();
            boolean in = Arrays.stream(stack).anyMatch(inside);
            if (in) {
                if (state == Thread.State.WAITING
                        || state == Thread.State.TIMED_WAITING
                        || state == Thread.State.BLOCKED) {
                    return;
                }
                if (state == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod()) {
                    if (task.isEmpty()) {
                        task = nativeTask(thread);
                    }
                    if (task.isEmpty() && !Files.isDirectory(TASKS)) {
                        return; // no kernel state to read here: in the blocking native call is the best we know
                    }
                    if (task.isPresent() && "S".equals(kernelState(task.get()))) {
                        return;
                    }
                }
            }
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError(thread.getName() + " ended without blocking where expected");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(thread.getName() + " not blocked where expected within " + timeout
                        + ": state " + state
                        + task.map(t -> ", kernel state " + kernelState(t)).orElse("")
                        + ", stack:\n  "
                        + String.join(
                                "\n  ",
                                Arrays.stream(stack).map(String::valueOf).toList()));
            }
            try {
                Thread.sleep(1); // polling for a condition, bounded above: not a guess at timing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** The {@code /proc/self/task/<tid>} whose name is {@code thread}'s, if exactly one. */
    private static Optional<Path> nativeTask(Thread thread) {
        if (!Files.isDirectory(TASKS)) {
            return Optional.empty();
        }
        String name = thread.getName().length() > 15 ? thread.getName().substring(0, 15) : thread.getName();
        Path found = null;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                if (comm.equals(name)) {
                    if (found != null) {
                        return Optional.empty(); // not unique: cannot tell which
                    }
                    found = task;
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(found);
    }

    /** The state letter of {@code /proc/self/task/<tid>/stat} (after the parenthesised name), or "?". */
    private static String kernelState(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
