package io.github.singleinstance.internal;

import io.github.singleinstance.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The names of one instance's objects, derived from the application id and scope:
 * {@code /si-<user>-<hash>.c} (the claim) and {@code /si-<user>-<hash>.r} (the channel), where user is the uid
 * ({@code all} for {@link Scope#SYSTEM}) and hash is 12 base32 characters (60 bits) of SHA-256 over the scope, user,
 * session and id. At most 29 characters, within macOS's 31-character limit for POSIX names.
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
        String material = "single-instance\0" + scope + '\0' + user + '\0' + session + '\0' + applicationId;
        String prefix = "/si-" + user + "-" + hash(material);
        InstanceKey key = new InstanceKey(prefix + ".c", prefix + ".r");
        if (key.claimName.length() > MAX_NAME_LENGTH) {
            throw new IllegalStateException("instance name too long: name=" + key.claimName);
        }
        return key;
    }

    private static String hash(String material) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
        StringBuilder out = new StringBuilder(12);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        for (int i = 0; i < 12; i++) {
            out.append(BASE32[(int) ((bits >>> (59 - 5 * i)) & 31)]);
        }
        return out.toString();
    }
}
