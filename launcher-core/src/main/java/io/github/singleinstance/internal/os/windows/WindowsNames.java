package io.github.singleinstance.internal.os.windows;

/**
 * Kernel object names from the protocol's names: {@code /si-<hash>.c} becomes {@code Local\si-<hash>.c} (the login
 * session's namespace: USER and SESSION scope) or {@code Global\si-<hash>.c} (SYSTEM scope), which Windows lets only
 * services and administrators create. A doorbell word's event is named after its segment and offset. Stateless; any
 * thread.
 */
final class WindowsNames {

    private WindowsNames() {}

    static final String SESSION_NAMESPACE = "Local\\";
    static final String GLOBAL_NAMESPACE = "Global\\";

    static String kernelName(String name, String namespace) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        if (bare.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("a backslash is not allowed in an object name: name=" + name);
        }
        return namespace + bare;
    }

    static String eventName(String segmentName, int offset, String namespace) {
        return kernelName(segmentName, namespace) + "-w" + Integer.toHexString(offset);
    }
}
