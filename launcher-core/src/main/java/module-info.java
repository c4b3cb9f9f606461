/**
 * Single-instance launches for JVM applications: the first launch becomes the primary, later launches forward their
 * command line to it. Applications use the package {@code io.github.singleinstance}; everything under {@code
 * io.github.singleinstance.internal} is this library's own and not exported.
 */
module io.github.singleinstance {
    exports io.github.singleinstance;
    // the Spring Boot starter (the automatic module io.github.singleinstance.spring) reads its settings through the
    // core's one reader, so that every entry point agrees; to it only
    exports io.github.singleinstance.internal.settings to
            io.github.singleinstance.spring;

    requires com.sun.jna;
    requires org.slf4j;
    // only DesktopEvents touches java.awt.Desktop; an application that uses it requires java.desktop itself
    requires static java.desktop;
    // Processes.currentUid: the uid where there is no /proc (macOS); a class-path application resolves it by default
    requires static jdk.security.auth;

    // JNA implements the native interfaces with proxies and reflects on what they declare (its FAQ on modules: open
    // such packages to it); qualified, so to JNA only. Linux is shown to run on the module path (ModulePathProcessTest)
    opens io.github.singleinstance.internal.os.linux to
            com.sun.jna;
    opens io.github.singleinstance.internal.os.macos to
            com.sun.jna;
    opens io.github.singleinstance.internal.os.windows to
            com.sun.jna;
}
