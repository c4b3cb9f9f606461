package io.github.singleinstance.internal.wire;

import io.github.singleinstance.Scope;
import java.nio.charset.StandardCharsets;

/**
 * The names of one instance's objects, derived from the application id and scope by a formula that never changes
 * between versions (the rendezvous is frozen: a launch of any version finds the claim of a primary of any other):
 *
 * <pre>
 * material = scope name + '\0' + user + '\0' + session + '\0' + application id      (UTF-8)
 *            scope name: USER, SESSION or SYSTEM; user: the uid (all for SYSTEM); session: the login session for
 *            SESSION where known, else empty
 * hash     = 64-bit FNV-1a over material, then MurmurHash3's fmix64; its top 60 bits as 12 base32 characters
 *            (a-z, 2-7), most significant first
 * claim    = /si-&lt;hash&gt;.c
 * channel  = /si-&lt;hash&gt;.&lt;generation&gt;.r   generation: the claim header's CHANNEL word as 8 hex digits; what
 *            hangs off a channel is named after it (.r.bell, wake and stream sockets)
 * </pre>
 * The protocol version and the library version are no part of it. The leading '/' is the OS layer's naming
 * convention; the objects live in the user's private directory for USER and SESSION, in /dev/shm for SYSTEM. Not a
 * cryptographic hash, and need not be: the names are no secret and only tell apart the applications of one user; it
 * costs no class loading on the second launch. Pinned by a golden test.
 */
public record InstanceKey(String claimName, String channelPrefix) {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    /**
     * @param userTag the uid; @param sessionTag the login session, or null where unknown (then SESSION acts as USER)
     */
    public static InstanceKey of(String applicationId, Scope scope, String userTag, String sessionTag) {
        String user = scope == Scope.SYSTEM ? "all" : userTag;
        String session = namesSession(scope) && sessionTag != null ? sessionTag : "";
        String material = scope.name() + '\0' + user + '\0' + session + '\0' + applicationId;
        String prefix = "/si-" + hash(material);
        return new InstanceKey(prefix + ".c", prefix + ".");
    }

    /**
     * The name of the channel of generation {@code generation} (the claim header's CHANNEL word, unsigned): a new one
     * for every primary, so a channel's name is never created twice (a name removed while another process still has
     * the file open or mapped may stay taken on Windows until that process lets go).
     */
    public String channelName(int generation) {
        String hex = Integer.toHexString(generation);
        return channelPrefix + "00000000".substring(hex.length()) + hex + ".r";
    }

    /**
     * Whether names of {@code scope} include the login session: only {@code Scope.SESSION}'s do, so a caller looks the
     * session up (a file read on Linux) for that scope alone.
     */
    public static boolean namesSession(Scope scope) {
        return scope == Scope.SESSION;
    }

    public static String hash(String material) {
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
