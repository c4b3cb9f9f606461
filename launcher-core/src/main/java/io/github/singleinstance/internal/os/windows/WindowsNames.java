package io.github.singleinstance.internal.os.windows;

/**
 * Kernel object names from the protocol's names: {@code /si-<user>-<hash>.c} becomes {@code Local\si-<user>-<hash>.c}
 * (the login session's namespace: USER and SESSION scope), and {@code /si-all-...} (SYSTEM scope) becomes
 * {@code Global\si-all-...}, which Windows lets only services and administrators create. A doorbell word's event is
 * named after its segment and offset. Stateless; any thread.
 */
final class WindowsNames {

    private WindowsNames() {
    }

    static String kernelName(String name) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        if (bare.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("a backslash is not allowed in an object name: name=" + name);
        }
        return (bare.startsWith("si-all-") ? "Global\\" : "Local\\") + bare;
    }

    static String eventName(String segmentName, int offset) {
        return kernelName(segmentName) + "-w" + Integer.toHexString(offset);
    }
}
