package io.github.singleinstance.process;

import io.github.singleinstance.SingleInstance;

/**
 * A second launch whose arguments, made in memory (no command line holds them), come to {@code args[0]} MiB: over
 * the primary's limit for a launch too large for its ring. Exits as {@link SingleInstance#claimOrExit} decides.
 */
public final class OversizedLaunch {

    private OversizedLaunch() {}

    public static void main(String[] args) {
        long bytes = Long.parseLong(args[0]) << 20;
        int parts = 8;
        String part = "o".repeat((int) (bytes / parts));
        String[] launch = new String[parts];
        java.util.Arrays.fill(launch, part);
        SingleInstance.builder().build().claimOrExit(launch);
        System.out.println("PRIMARY " + ProcessHandle.current().pid() + " (an oversized launch found no primary)");
        System.exit(1);
    }
}
