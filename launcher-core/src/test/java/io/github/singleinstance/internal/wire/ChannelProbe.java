package io.github.singleinstance.internal.wire;

import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.os.SegmentSizeException;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testing.Backends;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Test access to a live channel's insides, for tests that play a misbehaving process. */
public final class ChannelProbe {

    private ChannelProbe() {}

    /** Does what a producer does up to the middle of its write, then dies like kill -9 would stop it. */
    public static void claimRingSpaceAndDie(String appId, int exitCode) {
        var os = OsBackends.forwarding(Backends.configured(), Scope.USER); // as another launch would
        InstanceKey key = InstanceKey.of(appId, Scope.USER, os.userTag(), os.sessionTag());
        {
            var buffer = awaitChannel(os, key).buffer();
            long tail = BufferAtomics.getLongVolatile(buffer, ChannelLayout.TAIL_OFFSET);
            BufferAtomics.compareAndSetLong(buffer, ChannelLayout.TAIL_OFFSET, tail, tail + 64);
            int at =
                    ChannelLayout.ringOffset() + (int) (tail & (buffer.getInt(ChannelLayout.RING_CAPACITY_OFFSET) - 1));
            BufferAtomics.putIntRelease(buffer, at, -64);
        }
        Runtime.getRuntime().halt(exitCode);
    }

    /** Overwrites a live channel's ring and counters with random bytes, then rings its doorbell. */
    public static void scribbleOverRing(String appId, long seed) {
        var os = OsBackends.forwarding(Backends.configured(), Scope.USER); // as another launch would
        InstanceKey key = InstanceKey.of(appId, Scope.USER, os.userTag(), os.sessionTag());
        try (var segment = awaitChannel(os, key)) {
            var buffer = segment.buffer();
            int capacity = buffer.getInt(ChannelLayout.RING_CAPACITY_OFFSET);
            byte[] garbage = new byte[capacity];
            new java.util.Random(seed).nextBytes(garbage);
            buffer.put(ChannelLayout.ringOffset(), garbage);
            buffer.putLong(ChannelLayout.HEAD_OFFSET, garbage[0] * 977L);
            buffer.putLong(ChannelLayout.TAIL_OFFSET, garbage[1] * 7919L);
            BufferAtomics.getAndAddInt(buffer, ChannelLayout.DOORBELL_OFFSET, 1);
            os.wakeAll(segment, ChannelLayout.DOORBELL_OFFSET);
        }
    }

    /**
     * The primary's channel, once it exists: a primary on a default backend prints its first line before its intake
     * thread has opened the channel (see PrimaryRole.startInBackground), and a segment file can be seen before it is
     * sized (the portable backend creates it, then sets its length).
     */
    private static SharedSegment awaitChannel(OsBackend os, InstanceKey key) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            SharedSegment segment;
            String name;
            try (ClaimHandle claim = os.openClaim(key.claimName())) {
                name = key.channelName(ClaimHeader.read(claim).channel()); // the generation the primary announces
            }
            try {
                segment = os.openSegment(name, ChannelLayout.HEADER_SIZE, ChannelLayout.MAX_SEGMENT_SIZE);
            } catch (SegmentSizeException e) {
                segment = null; // created but not sized yet, as Channel.open treats it
            }
            if (segment != null
                    && BufferAtomics.getIntVolatile(segment.buffer(), ChannelLayout.STATE_OFFSET)
                            == ChannelLayout.STATE_READY) {
                return segment;
            }
            if (segment != null) {
                segment.close();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no ready channel " + name + " within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
