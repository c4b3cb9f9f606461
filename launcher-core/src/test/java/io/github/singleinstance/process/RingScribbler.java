package io.github.singleinstance.process;

import io.github.singleinstance.internal.wire.ChannelProbe;

/** A same-user process that writes random bytes over the live ring: hostile input for the primary. */
public final class RingScribbler {

    private RingScribbler() {}

    public static void main(String[] args) {
        ChannelProbe.scribbleOverRing(System.getProperty("single-instance.id"), Long.parseLong(args[0]));
    }
}
