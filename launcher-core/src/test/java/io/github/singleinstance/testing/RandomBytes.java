package io.github.singleinstance.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Reproducible random bytes: the test app writes them, the tests check what arrived against the same seed. */
public final class RandomBytes {

    private static final int CHUNK = 8191; // odd: frames and pipe buffers never line up with it

    private RandomBytes() {}

    /** Writes {@code length} bytes of the sequence {@code seed} to {@code out}, in chunks of {@value #CHUNK}. */
    public static void write(long seed, long length, OutputStream out) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[CHUNK];
        for (long left = length; left > 0; ) {
            int n = (int) Math.min(left, CHUNK);
            for (int i = 0; i < n; i++) {
                chunk[i] = (byte) random.nextInt(256);
            }
            out.write(chunk, 0, n);
            left -= n;
        }
    }

    /** The SHA-256 of {@code length} bytes of the sequence {@code seed}, as hex. */
    public static String sha256(long seed, long length) throws IOException {
        MessageDigest digest = newDigest();
        write(seed, length, new OutputStream() {
            @Override
            public void write(int b) {
                digest.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                digest.update(b, off, len);
            }
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 and length of what {@code in} holds, as {@code hex/length}. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[65536];
        long length = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
            length += n;
        }
        return HexFormat.of().formatHex(digest.digest()) + "/" + length;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
