package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackendContract;
import java.nio.file.Path;

class PortableBackendContractTest extends OsBackendContract {

    private static final PortableBackend BACKEND = new PortableBackend();

    @Override
    protected OsBackend backend() {
        return BACKEND;
    }

    @Override
    protected String backendName() {
        return "portable";
    }

    @Override
    protected Path pathOf(String name) {
        return BACKEND.pathOf(name);
    }
}
