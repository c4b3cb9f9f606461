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
 */
public record Launch(List<String> args, Path workingDirectory, long senderPid, Instant launchTime,
                     byte[] additionalData) {

    public Launch {
        args = List.copyOf(args);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(launchTime, "launchTime");
        additionalData = additionalData.clone();
    }

    @Override
    public byte[] additionalData() {
        return additionalData.clone();
    }

    @Override
    public String toString() {
        return "Launch[args=" + args + ", workingDirectory=" + workingDirectory + ", senderPid=" + senderPid
                + ", launchTime=" + launchTime + ", additionalData=" + additionalData.length + " bytes]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Launch that && args.equals(that.args) && workingDirectory.equals(that.workingDirectory)
                && senderPid == that.senderPid && launchTime.equals(that.launchTime)
                && java.util.Arrays.equals(additionalData, that.additionalData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(args, workingDirectory, senderPid, launchTime, java.util.Arrays.hashCode(additionalData));
    }
}
