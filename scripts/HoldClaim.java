import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Plays a primary that has won the claim and is still starting, for scripts/measure-protocol-v3.sh: it locks the
 * claim file of application id ID (Scope.USER) and holds it until killed, opening no channel. Layout "v2" is the
 * claim of builds before protocol 3 (/dev/shm/si-UID-HASH.c, no header); "v3" is this build's (DIR/si-HASH.c) with a
 * STARTING header whose PROGRESS it advances every 100 ms, as a real starting primary does.
 * Usage: java scripts/HoldClaim.java v2|v3 ID [DIR, default ~/.cache/single-instance]
 */
public class HoldClaim {

    public static void main(String[] args) throws Exception {
        String uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
        boolean v3 = args[0].equals("v3");
        Path path;
        if (v3) {
            Path dir = args.length > 2 ? Path.of(args[2])
                    : Path.of(System.getProperty("user.home"), ".cache", "single-instance");
            path = dir.resolve("si-" + hash("USER\0" + uid + "\0\0" + args[1]) + ".c");
        } else {
            path = Path.of("/dev/shm", "si-" + uid + "-" + hash("single-instance/2\0USER\0" + uid + "\0\0" + args[1])
                    + ".c");
        }
        Files.createDirectories(path.getParent());
        try (FileChannel claim = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            claim.lock();
            long pid = ProcessHandle.current().pid();
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            if (v3) {
                header.putLong(0, 0x314D49414C434953L).putInt(8, 3).putInt(12, 1).putLong(16, pid);
                claim.write(header, 0);
            } else {
                claim.write(ByteBuffer.wrap(new byte[] {1}), 0);
            }
            System.out.println("holding " + path);
            System.out.flush();
            for (long progress = 1; ; progress++) {
                if (v3) {
                    claim.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, progress), 24);
                }
                Thread.sleep(100);
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** InstanceKey's hash: FNV-1a 64, fmix64, top 60 bits as 12 base32 characters. */
    static String hash(String material) {
        long bits = 0xcbf29ce484222325L;
        for (byte b : material.getBytes(StandardCharsets.UTF_8)) {
            bits = (bits ^ (b & 0xFF)) * 0x100000001b3L;
        }
        bits ^= bits >>> 33;
        bits *= 0xff51afd7ed558ccdL;
        bits ^= bits >>> 33;
        bits *= 0xc4ceb9fe1a85ec53L;
        bits ^= bits >>> 33;
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            out.append(alphabet.charAt((int) ((bits >>> (59 - 5 * i)) & 31)));
        }
        return out.toString();
    }
}
