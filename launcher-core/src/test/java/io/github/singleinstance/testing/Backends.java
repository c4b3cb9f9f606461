package io.github.singleinstance.testing;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;

/** The backend a test run chose (the portable execution sets {@code single-instance.backend=portable}). */
public final class Backends {

    private Backends() {}

    /**
     * The backend named by {@code single-instance.backend}, else auto. Not {@code SINGLE_INSTANCE_BACKEND}: the child
     * JVMs never inherit it (TestJvm's clean environment), and {@link Jvm} passes them this property alone.
     */
    public static Backend configured() {
        String value = System.getProperty("single-instance.backend");
        return value == null || value.isBlank() ? Backend.AUTO : Backend.parse(value);
    }

    /** The full OS layer of {@link #configured()} for {@code Scope.USER}, as a primary of this run would use. */
    public static OsBackend current() {
        return OsBackends.of(configured(), Scope.USER);
    }
}
