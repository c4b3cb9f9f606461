package io.github.singleinstance.internal.os.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import io.github.singleinstance.internal.os.NativeCallException;
import io.github.singleinstance.internal.os.SharedSegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A named file mapping's view, and the doorbell events this process waits with on its words (auto-reset named
 * events, one per word, kept open until the segment closes). See {@link SharedSegment} for who may touch what.
 * Its methods synchronize; {@link #close()} once no thread of this process waits on it.
 */
final class WindowsSegment implements SharedSegment {

    private final Kernel32 kernel32;
    private final String name;
    private final String namespace;
    private final Pointer mapping;
    private final Pointer view;
    private final ByteBuffer buffer;
    private final Map<Integer, Pointer> events = new HashMap<>();
    private boolean closed;

    WindowsSegment(Kernel32 kernel32, String name, String namespace, Pointer mapping, Pointer view, int size) {
        this.kernel32 = kernel32;
        this.name = name;
        this.namespace = namespace;
        this.mapping = mapping;
        this.view = view;
        this.buffer = view.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The event of the word at {@code offset}, created (or opened) before the caller re-reads the word. */
    synchronized Pointer event(int offset) {
        Pointer event = events.get(offset);
        if (event == null) {
            String eventName = WindowsNames.eventName(name, offset, namespace);
            event = kernel32.CreateEventW(null, false, false, new WString(eventName));
            if (event == null) {
                throw new NativeCallException("CreateEventW", eventName, Native.getLastError());
            }
            events.put(offset, event);
        }
        return event;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Pointer event : events.values()) {
            kernel32.CloseHandle(event);
        }
        events.clear();
        kernel32.UnmapViewOfFile(view);
        kernel32.CloseHandle(mapping);
    }
}
