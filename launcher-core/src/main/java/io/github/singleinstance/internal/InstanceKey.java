package io.github.singleinstance.internal;

import io.github.singleinstance.Scope;
import java.nio.charset.StandardCharsets;

/**
 * The names of one instance's objects, derived from the application id and scope:
 * {@code /si-<user>-<hash>.c} (the claim) and {@code /si-<user>-<hash>.r} (the channel), where user is the uid
 * ({@code all} for {@link Scope#SYSTEM}) and hash is 12 base32 characters (60 bits) of a 64-bit FNV-1a hash, mixed with
 * MurmurHash3's finaliser, over the protocol generation (2 since the claim became a record lock: launches of
 * different generations never meet), the scope, user, session and id. At most 29 characters, within macOS's
 * 31-character limit for POSIX names. Not a cryptographic hash, and need not be: the names are no secret and only
 * tell apart the applications of one user; it costs no class loading on the second launch (SHA-256 through the
 * JDK's security providers cost about 25 ms of it).
 */
public record InstanceKey(String claimName, String channelName) {

    static final int MAX_NAME_LENGTH = 30;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    /**
     * @param userTag the uid; @param sessionTag the login session, or null where unknown (then SESSION acts as USER)
     */
    public static InstanceKey of(String applicationId, Scope scope, String userTag, String sessionTag) {
        String user = scope == Scope.SYSTEM ? "all" : userTag;
        String session = scope == Scope.SESSION && sessionTag != null ? sessionTag : "";
        String material = "single-instance/2\0" + scope + '\0' + user + '\0' + session + '\0' + applicationId;
        String prefix = "/si-" + user + "-" + hash(material);
        InstanceKey key = new InstanceKey(prefix + ".c", prefix + ".r");
        if (key.claimName.length() > MAX_NAME_LENGTH) {
            throw new IllegalStateException("instance name too long: name=" + key.claimName);
        }
        return key;
    }

    static String hash(String material) {
        long bits = 0xcbf29ce484222325L; // FNV-1a, 64-bit: offset basis and prime
        for (byte b : material.getBytes(StandardCharsets.UTF_8)) {
            bits = (bits ^ (b & 0xFF)) * 0x100000001b3L;
        }
        bits ^= bits >>> 33; // MurmurHash3 fmix64: every input bit reaches every output bit
        bits *= 0xff51afd7ed558ccdL;
        bits ^= bits >>> 33;
        bits *= 0xc4ceb9fe1a85ec53L;
        bits ^= bits >>> 33;
        char[] out = new char[12];
        for (int i = 0; i < 12; i++) {
            out[i] = BASE32[(int) ((bits >>> (59 - 5 * i)) & 31)];
        }
        return new String(out);
    }
}
