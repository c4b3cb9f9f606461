package io.github.singleinstance.spring;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the single-instance starter.
 *
 * <p>The claim is made before {@code application.properties} is read, so the settings it uses come from system
 * properties ({@code -Dsingle-instance.id=...}), environment variables ({@code SINGLE_INSTANCE_ID=...}) or
 * {@link SingleInstance @SingleInstance}; values set only in {@code application.properties} are reported with a
 * warning when they differ from what the claim used. Documented here so that IDEs complete them.
 */
@ConfigurationProperties("single-instance")
public class SingleInstanceProperties {

    /** Whether a main class annotated with @SingleInstance claims the application at launch. */
    private boolean enabled = true;

    /** Application id: launches with equal ids (and scope) share one instance. Default: the main class's name. */
    private @Nullable String id;

    /** How far "single" reaches: user, session or system. */
    private Scope scope = Scope.USER;

    /** How long a second launch waits without any sign of progress from the running instance (stopped or hung). */
    private Duration forwardTimeout = Duration.ofSeconds(5);

    /** How long a second launch waits for its reply in all, however busy the running instance. */
    private Duration totalTimeout = Duration.ofSeconds(60);

    /**
     * Whether this launch replaces the running instance (which closes its context and exits). Set for one launch
     * only, as a system property or environment variable.
     */
    private boolean replace;

    /** Size in bytes of the launch channel, a power of two from 64 KiB to 64 MiB. */
    private int ringCapacity = 1048576;

    /**
     * How long a launch that arrives while the application starts waits for it to become ready before it is answered
     * "still starting" (and published later). At most three quarters of the total timeout are used.
     */
    private Duration startupReplyTimeout = Duration.ofSeconds(30);

    /**
     * The OS layer: auto (posix on Linux, else portable), posix (shared memory through JNA), portable (pure JDK,
     * per-user directory) or windows (not in this version). Every launch of one application must use the same.
     */
    private Backend backend = Backend.AUTO;

    /**
     * Whether a second launch offers its standard input to the running instance's listeners. Read before any Spring
     * environment exists: set it as a system property, an environment variable or on the annotation.
     */
    private boolean forwardStdin;

    /**
     * The environment variables a second launch sends to the running instance: names, or * for all. Empty: none (an
     * environment holds secrets). Read before any Spring environment exists, like forward-stdin.
     */
    private List<String> forwardEnvironment = new ArrayList<>();

    /**
     * The directory for the files and sockets of user- and session-scoped instances, an absolute path; created
     * owner-only if absent and refused if another user owns it or others may write to it. Default: the runtime
     * directory, else the cache directory in the home, else a per-uid directory in the temporary directory (see
     * docs/private-directory.md). Read before any Spring environment exists: set it as a system property or an
     * environment variable (SINGLE_INSTANCE_DIRECTORY), the same for every launch.
     */
    private @Nullable String directory;

    public @Nullable String getDirectory() {
        return directory;
    }

    public void setDirectory(@Nullable String directory) {
        this.directory = directory;
    }

    public boolean isForwardStdin() {
        return forwardStdin;
    }

    public void setForwardStdin(boolean forwardStdin) {
        this.forwardStdin = forwardStdin;
    }

    public List<String> getForwardEnvironment() {
        return forwardEnvironment;
    }

    public void setForwardEnvironment(List<String> forwardEnvironment) {
        this.forwardEnvironment = forwardEnvironment;
    }

    public Duration getTotalTimeout() {
        return totalTimeout;
    }

    public void setTotalTimeout(Duration totalTimeout) {
        this.totalTimeout = totalTimeout;
    }

    public boolean isReplace() {
        return replace;
    }

    public void setReplace(boolean replace) {
        this.replace = replace;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getId() {
        return id;
    }

    public void setId(@Nullable String id) {
        this.id = id;
    }

    public Scope getScope() {
        return scope;
    }

    public void setScope(Scope scope) {
        this.scope = scope;
    }

    public Duration getForwardTimeout() {
        return forwardTimeout;
    }

    public void setForwardTimeout(Duration forwardTimeout) {
        this.forwardTimeout = forwardTimeout;
    }

    public int getRingCapacity() {
        return ringCapacity;
    }

    public void setRingCapacity(int ringCapacity) {
        this.ringCapacity = ringCapacity;
    }

    public Duration getStartupReplyTimeout() {
        return startupReplyTimeout;
    }

    public void setStartupReplyTimeout(Duration startupReplyTimeout) {
        this.startupReplyTimeout = startupReplyTimeout;
    }

    public Backend getBackend() {
        return backend;
    }

    public void setBackend(Backend backend) {
        this.backend = backend;
    }
}
