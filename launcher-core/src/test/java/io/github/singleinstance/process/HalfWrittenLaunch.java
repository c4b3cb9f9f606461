package io.github.singleinstance.process;

import io.github.singleinstance.internal.wire.ChannelProbe;

/** A sender that dies in the middle of writing its record: claims ring space, writes "being written", halts. */
public final class HalfWrittenLaunch {

    static final int EXIT_CODE = 42;

    private HalfWrittenLaunch() {}

    public static void main(String[] args) {
        ChannelProbe.claimRingSpaceAndDie(System.getProperty("single-instance.id"), EXIT_CODE);
    }
}
