package io.github.singleinstance.internal.primary;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.ChannelLayout;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.internal.wire.LaunchRing;
import io.github.singleinstance.testing.Backends;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testing.RootOnly;
import io.github.singleinstance.testsupport.TestJvm;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A second launch meets named objects that are not a healthy primary's: this test JVM holds the claim's lock (so it
 * plays a live primary) and puts a bad channel under the name. The launch must fail clearly, never crash or hang.
 */
class HostileSegmentProcessTest extends ProcessTestSupport {

    private static final List<String> SHORT_TIMEOUT = List.of("-Dsingle-instance.forward-timeout=1s");

    private ClaimHandle holdClaim() {
        ClaimHandle claim = Backends.current().openClaim(key().claimName());
        assertThat(claim.tryLock()).isTrue();
        ClaimHeader.claim(
                claim, ProcessHandle.current().pid(), Backends.current().doorbellKind());
        ClaimHeader.setState(claim, ClaimHeader.STATE_READY);
        return claim;
    }

    /**
     * A primary of another protocol version holds the claim (its frozen header says so): a launch never becomes a
     * second primary, sends nothing and names both versions, the primary's pid and what to do.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aPrimaryOfAnotherProtocolVersionIsNeitherJoinedNorDoubled(int otherProtocol) {
        try (ClaimHandle claim = holdClaim()) {
            claim.write(
                    java.nio.ByteBuffer.allocate(4)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .putInt(0, otherProtocol),
                    ClaimHeader.PROTOCOL_OFFSET);
            TestJvm launch = launch("hello");
            assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(69);
            assertThat(launch.stderr())
                    .contains("(pid " + ProcessHandle.current().pid() + ")")
                    .contains("speaks protocol version " + otherProtocol)
                    .contains("this launch speaks version " + ClaimHeader.PROTOCOL_VERSION)
                    .contains("Nothing was sent")
                    .contains("single-instance.replace=true");
            assertThat(launch.stdout()).doesNotContain("PRIMARY");
        }
    }

    /**
     * A version-3 primary from before streams (its channel's FEATURES zero, as this test's channel has) takes at most a
     * quarter of its ring per launch: a larger launch is refused before anything is sent, naming the limit.
     */
    @Test
    void anOlderPrimaryRefusesALaunchOverAQuarterOfItsRingBeforeAnythingIsSent() {
        try (ClaimHandle claim = holdClaim();
                Channel channel = Channel.create(
                        Backends.current(),
                        key().channelName(1),
                        ChannelLayout.DEFAULT_RING_CAPACITY,
                        ProcessHandle.current().pid(),
                        true);
                SharedSegment view = Backends.current()
                        .openSegment(key().channelName(1), ChannelLayout.HEADER_SIZE, ChannelLayout.MAX_SEGMENT_SIZE)) {
            view.buffer().putInt(ChannelLayout.FEATURES_OFFSET, 0);
            assertThat(channel.streams()).isFalse();
            TestJvm huge = launch("x".repeat(100_000), "y".repeat(100_000), "z".repeat(100_000));
            assertThat(huge.awaitExit(EXIT)).as(huge.describe()).isEqualTo(64);
            assertThat(huge.stderr())
                    .contains("takes at most 262136 bytes per launch")
                    .contains("an older version")
                    .contains("Nothing was sent");
            assertThat(channel.ring().poll().kind()).isEqualTo(LaunchRing.Poll.Kind.EMPTY);
        }
    }

    /** An older (version - 1) and a newer (version + 1) channel: the message names both versions. */
    @ParameterizedTest
    @ValueSource(ints = {-1, 1})
    void channelOfAnotherFormatVersionNamesBothVersions(int versionOffset) {
        int otherVersion = ChannelLayout.VERSION + versionOffset;
        try (ClaimHandle claim = holdClaim();
                SharedSegment segment = Backends.current()
                        .createSegment(
                                key().channelName(1),
                                ChannelLayout.segmentSize(
                                        ChannelLayout.MIN_RING_CAPACITY, 1, ChannelLayout.SLOT_SIZE))) {
            var b = segment.buffer();
            b.putLong(ChannelLayout.MAGIC_OFFSET, ChannelLayout.MAGIC);
            b.putInt(ChannelLayout.VERSION_OFFSET, otherVersion);
            b.putLong(ChannelLayout.PRIMARY_PID_OFFSET, ProcessHandle.current().pid());
            b.putInt(ChannelLayout.STATE_OFFSET, ChannelLayout.STATE_READY);
            TestJvm launch = launch(SHORT_TIMEOUT, "hello");
            assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(69);
            assertThat(launch.stderr())
                    .contains("speaks channel format version " + otherVersion)
                    .contains("this launch speaks version " + ChannelLayout.VERSION)
                    .contains("nothing was sent");
        }
    }

    @Test
    void emptyChannelSegmentIsRefusedWithoutTouchingIt() throws Exception {
        try (ClaimHandle claim = holdClaim()) {
            // size 0: reading it through a mapping would be SIGBUS (docs/platform-facts.md)
            Files.createFile(
                    objectPath(key().channelName(1)),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            TestJvm launch = launch(SHORT_TIMEOUT, "hello");
            assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(75);
            assertThat(launch.stderr())
                    .contains("size out of bounds")
                    .contains("size=0")
                    .contains("Nothing was delivered");
        }
    }

    @Test
    void garbageChannelIsRefusedClearly() throws Exception {
        try (ClaimHandle claim = holdClaim()) {
            byte[] garbage = new byte[ChannelLayout.HEADER_SIZE * 3];
            new Random(5).nextBytes(garbage);
            Files.write(objectPath(key().channelName(1)), garbage);
            Files.setPosixFilePermissions(
                    objectPath(key().channelName(1)), PosixFilePermissions.fromString("rw-------"));
            TestJvm launch = launch(SHORT_TIMEOUT, "hello");
            assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(75);
            assertThat(launch.stderr()).contains("no valid magic number");
        }
    }

    @Test
    void channelOpenToOtherUsersIsNeverUsed() throws Exception {
        try (ClaimHandle claim = holdClaim()) {
            Files.write(objectPath(key().channelName(1)), new byte[ChannelLayout.HEADER_SIZE]);
            Files.setPosixFilePermissions(
                    objectPath(key().channelName(1)), PosixFilePermissions.fromString("rw-rw-rw-"));
            TestJvm launch = launch(SHORT_TIMEOUT, "hello");
            assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(77);
            assertThat(launch.stderr()).contains("is open to other users (mode 666)");
        }
    }

    @Test
    void objectsOwnedByAnotherUserAreRefusedAndNothingIsWritten() throws Exception {
        RootOnly.assume();
        TestJvm primary = startPrimary();
        TestJvm ok = launch("before");
        assertThat(ok.awaitExit(EXIT)).isZero();

        chown(key().channelName(1), 12345);
        byte[] channelBefore = Files.readAllBytes(objectPath(key().channelName(1)));
        TestJvm channelForeign = launch(SHORT_TIMEOUT, "foreign-channel");
        assertThat(channelForeign.awaitExit(EXIT)).as(channelForeign.describe()).isEqualTo(77);
        assertThat(channelForeign.stderr()).contains("belongs to uid 12345");
        assertThat(Files.readAllBytes(objectPath(key().channelName(1)))).isEqualTo(channelBefore);

        chown(key().claimName(), 12345);
        TestJvm claimForeign = launch(SHORT_TIMEOUT, "foreign-claim");
        assertThat(claimForeign.awaitExit(EXIT)).as(claimForeign.describe()).isEqualTo(77);
        assertThat(claimForeign.stderr()).contains("belongs to uid 12345");
        assertThat(primary.stdout()).doesNotContain("foreign");
    }

    private static void chown(String name, int uid) throws Exception {
        Files.setAttribute(objectPath(name), "unix:uid", uid);
    }
}
