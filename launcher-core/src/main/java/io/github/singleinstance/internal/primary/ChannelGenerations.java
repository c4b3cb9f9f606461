package io.github.singleinstance.internal.primary;

import io.github.singleinstance.IncompatiblePrimaryException;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.internal.wire.InstanceKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels of one primary's claim: each under a name never used before, {@code si-<hash>.<generation>.r}, whose
 * generation the claim header's CHANNEL word announces to launches. Clears a departed primary's channel, creates
 * this primary's, and replaces a damaged one with the next generation; the replaced ones stay mapped until the
 * primary closes (answers may still be written into their slots).
 *
 * <p>Used by {@link PrimaryRole} under its close lock, or by its intake thread during setup.
 */
final class ChannelGenerations {
    private final OsBackend os;
    private final ClaimHandle claim;
    private final InstanceKey key;
    private final LaunchConfig config;
    private final List<Channel> retired = new ArrayList<>();
    /**
     * The generation of the current channel's name (the claim header's CHANNEL word): read from the header in setUp,
     * moved on when a name is taken or the channel rebuilt. Written under closeLock or before the intake starts.
     */
    private int generation;

    ChannelGenerations(OsBackend os, ClaimHandle claim, InstanceKey key, LaunchConfig config, int generation) {
        this.os = os;
        this.claim = claim;
        this.key = key;
        this.config = config;
        this.generation = generation;
    }

    /** The name of the channel of the current generation. */
    String currentName() {
        return key.channelName(generation);
    }

    /**
     * Sends back the launches left in the previous primary's channel (it died, or closed with senders still queued),
     * and removes that channel and the one before it where the OS lets us: Windows refuses to delete a file that any
     * process still maps (the previous primary on Java 17 could not unmap its own), so a channel may outlive its
     * primary by one or two generations. Nothing depends on the removal: every primary uses a name never used before.
     */
    void clearStale() {
        String previous = key.channelName(generation - 1);
        try (Channel stale = Channel.open(os, previous)) {
            if (stale != null) {
                PrimaryRole.log().debug("sending back launches left in a departed primary's channel {}", previous);
                stale.retireAfterCrash(os);
            }
        } catch (Channel.NotUsableException | IncompatiblePrimaryException e) {
            PrimaryRole.log().debug("removing an unusable leftover channel: {}", e.getMessage());
        }
        os.unlink(previous);
        os.unlink(key.channelName(generation - 2));
        PrimaryStreamEnd.sweep(os.streamDirectory(), previous);
    }

    /**
     * Creates the channel under the current generation's name; a name taken already (a leftover this claim's header
     * does not know: the claim file was removed by hand) moves on to the next generation, announced in the header.
     */
    Channel create() {
        for (int attempt = 0; attempt < 3; attempt++) {
            Channel created = Channel.create(
                    os,
                    currentName(),
                    config.ringCapacity(),
                    os.pid(),
                    PrimaryStreamEnd.possibleIn(os.streamDirectory()));
            if (created != null) {
                return created;
            }
            os.unlink(currentName()); // we hold the claim, so no primary uses it; removed where the OS lets us
            generation++;
            ClaimHeader.setChannel(claim, generation);
        }
        throw new IllegalStateException("cannot create the channel: names " + key.channelName(generation - 3)
                + " to " + key.channelName(generation - 1) + " were all taken; is another program writing into this "
                + "directory under these names?");
    }

    /** Retires {@code old} (its waiting senders retry) and creates the channel of the next generation. */
    Channel replace(Channel old) {
        old.retire(os);
        os.unlink(currentName());
        retired.add(old);
        generation++;
        ClaimHeader.setChannel(claim, generation);
        return create();
    }

    /** Removes the current channel's name where the OS lets us (see clearStale). */
    void unlinkCurrent() {
        os.unlink(currentName());
    }

    /** Unmaps the channels replaced so far; the caller makes sure nothing writes into them any more. */
    void closeRetired() {
        retired.forEach(Channel::close);
    }
}
