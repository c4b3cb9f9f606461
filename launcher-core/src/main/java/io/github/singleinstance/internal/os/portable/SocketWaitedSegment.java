package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.internal.os.SharedSegment;

/**
 * A segment whose words this process waits on through {@link SocketDoorbell}: the portable backend's mapped files and
 * the macOS backend's shm objects alike, so that both backends wait and ring through {@link PortableBackend}.
 */
public interface SocketWaitedSegment extends SharedSegment {

    /** The wake sockets of this process's waiters on this segment's words; closed with the segment. */
    DoorbellSocketPool sockets();
}
