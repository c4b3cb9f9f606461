package io.github.singleinstance;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One forwarded launch, as the primary's {@link LaunchHandler} receives it.
 *
 * @param args the sender's arguments, exactly and in order
 * @param workingDirectory the sender's working directory, to resolve relative paths in {@code args}
 * @param senderPid the process id of the launch that forwarded this
 * @param launchTime when the sender started forwarding
 * @param additionalData the bytes the sender attached with {@link SingleInstance.Builder#additionalData(byte[])},
 *     empty if none; a copy is returned on each call
 * @param kind how the launch came: {@link Kind#COMMAND_LINE} for every forwarded launch; the other kinds come from
 *     the desktop ({@link DesktopEvents}), within the primary's own process
 */
public record Launch(
        List<String> args,
        Path workingDirectory,
        long senderPid,
        Instant launchTime,
        byte[] additionalData,
        Kind kind) {

    /** How a launch reached the primary. */
    public enum Kind {
        /** A later start of the application: its command-line arguments, forwarded by its process. */
        COMMAND_LINE,
        /** The desktop asked the running application to open files (macOS Finder, {@code open}): {@code args} are
         * their absolute paths. */
        OPEN_FILES,
        /** The desktop asked the running application to open a URI (a registered URL scheme): {@code args} is that
         * one URI. */
        OPEN_URI,
        /** The desktop asked the running application to come to the front (its Dock icon clicked): no {@code args}. */
        ACTIVATE
    }

    public Launch {
        args = List.copyOf(args);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(launchTime, "launchTime");
        additionalData = additionalData.clone();
        Objects.requireNonNull(kind, "kind");
    }

    /** A {@link Kind#COMMAND_LINE} launch: the canonical constructor of earlier versions, kept for existing code. */
    public Launch(List<String> args, Path workingDirectory, long senderPid, Instant launchTime, byte[] additionalData) {
        this(args, workingDirectory, senderPid, launchTime, additionalData, Kind.COMMAND_LINE);
    }

    @Override
    public byte[] additionalData() {
        return additionalData.clone();
    }

    @Override
    public String toString() {
        return "Launch[args=" + args + ", workingDirectory=" + workingDirectory + ", senderPid=" + senderPid
                + ", launchTime=" + launchTime + ", additionalData=" + additionalData.length + " bytes, kind=" + kind
                + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Launch that
                && args.equals(that.args)
                && workingDirectory.equals(that.workingDirectory)
                && senderPid == that.senderPid
                && launchTime.equals(that.launchTime)
                && java.util.Arrays.equals(additionalData, that.additionalData)
                && kind == that.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                args, workingDirectory, senderPid, launchTime, java.util.Arrays.hashCode(additionalData), kind);
    }
}
