package io.github.singleinstance.internal.os.portable;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wake-socket names in a directory shared across pid namespaces (a Flatpak app's instances): a pid in a name may be a
 * live process elsewhere though no such process exists here, and the same pid may be two live processes. Leftovers are
 * told by a refused connection, never by the pid.
 */
class DoorbellSocketTest {

    /** A pid no process has here (above the kernel's limit of 2^22): the owner lives in another pid namespace. */
    private static final long ELSEWHERE = 9_999_999;

    @TempDir
    Path dir;

    @Test
    void aLiveSocketWithAFullBacklogIsNotRemovedThoughItsPidDoesNotExistHere() throws Exception {
        Path name = dir.resolve("w00000000-40." + ELSEWHERE + ".1");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(name), 1); // nobody accepts: the backlog fills
            List<SocketChannel> pending = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    SocketChannel connection = SocketChannel.open(StandardProtocolFamily.UNIX);
                    pending.add(connection);
                    connection.configureBlocking(false);
                    try {
                        connection.connect(UnixDomainSocketAddress.of(name));
                    } catch (java.io.IOException full) {
                        break;
                    }
                }
                age(name);
                DoorbellSocket.ring(name);
                assertThat(name).as("a live waiter's socket").exists();
                assertThat(DoorbellSocket.isLeftover(name)).isFalse();
            } finally {
                for (SocketChannel connection : pending) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void aSocketNobodyListensOnIsRemovedOnceOlderThanASecondWhateverItsPid() throws Exception {
        Path young = leftover("w00000000-40." + ProcessHandle.current().pid() + ".1");
        Path old = leftover("w00000000-40.1.2"); // pid 1 exists here, yet nobody listens
        age(old);
        DoorbellSocket.ring(young);
        DoorbellSocket.ring(old);
        assertThat(young)
                .as("bound under a second ago: maybe between bind and listen")
                .exists();
        assertThat(old).doesNotExist();
    }

    @Test
    void bindingNeverReplacesALiveSocketOfTheSameName() throws Exception {
        String prefix = DoorbellSocket.wordPrefix("/si-test.r", 64);
        long samePid = 2; // what every JVM is in its own bubblewrap or Flatpak sandbox
        List<ServerSocketChannel> live = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) { // the next three names this process would take
                ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                live.add(other);
                other.bind(UnixDomainSocketAddress.of(dir.resolve(prefix + samePid + "." + (nextSequence() + i))));
            }
            try (DoorbellSocket mine = DoorbellSocket.bind(dir, prefix, samePid)) {
                for (ServerSocketChannel other : live) {
                    Path theirs = Path.of(((UnixDomainSocketAddress) other.getLocalAddress())
                            .getPath()
                            .toString());
                    assertThat(theirs).exists();
                    assertThat(mine.path()).isNotEqualTo(theirs);
                }
                assertThat(mine.path()).exists();
            }
        } finally {
            for (ServerSocketChannel other : live) {
                other.close();
            }
        }
    }

    private static long nextSequence() throws Exception {
        java.lang.reflect.Field sequence = DoorbellSocket.class.getDeclaredField("SEQUENCE");
        sequence.setAccessible(true);
        return ((java.util.concurrent.atomic.AtomicInteger) sequence.get(null)).get();
    }

    /** A socket file left behind by a listener that closed without removing it. */
    private Path leftover(String name) throws Exception {
        Path path = dir.resolve(name);
        ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        gone.bind(UnixDomainSocketAddress.of(path));
        gone.close(); // the JDK leaves the file of a Unix-domain socket in place
        assertThat(path).exists();
        return path;
    }

    private static void age(Path path) throws Exception {
        Files.setLastModifiedTime(path, FileTime.fromMillis(System.currentTimeMillis() - 5_000));
    }
}
