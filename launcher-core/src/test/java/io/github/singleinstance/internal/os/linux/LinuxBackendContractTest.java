package io.github.singleinstance.internal.os.linux;

import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackendContract;
import io.github.singleinstance.internal.os.PrivateDirectory;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class LinuxBackendContractTest extends OsBackendContract {

    private static final LinuxBackend BACKEND = new LinuxBackend(PrivateDirectory.ofThisUser());

    @Override
    protected OsBackend backend() {
        return BACKEND;
    }

    @Override
    protected String backendName() {
        return "posix";
    }

    @Override
    protected Path pathOf(String name) {
        return BACKEND.pathOf(name);
    }
}
