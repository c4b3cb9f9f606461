package io.github.singleinstance.bootlauncher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.boot.ForwardOnly;
import io.github.singleinstance.internal.settings.EffectiveSettings;
import io.github.singleinstance.internal.settings.SettingsReader;
import io.github.singleinstance.spring.RunListenerSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One matrix of command-line values through the three entry points (the core's builder, the Spring Boot run
 * listener, the fast launcher's call into the core): the same effective settings, or the same one-line refusal and
 * exit code 78. The application declares the same settings in each: {@link AnnotationReaderTest.Annotated}'s
 * attributes, and the builder's equivalent.
 */
class SettingsMatrixTest {

    private static final Class<?> MAIN = AnnotationReaderTest.Annotated.class;

    @TempDir
    Path directory;

    private String property;

    @AfterEach
    void clearProperty() {
        System.clearProperty(property);
    }

    @ParameterizedTest(name = "{0}=''{1}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "single-instance.forward-timeout|5s|forwardTimeout=PT5S",
                "single-instance.forward-timeout|500ms|forwardTimeout=PT0.5S",
                "single-instance.forward-timeout|1d|forwardTimeout=PT24H totalTimeout=PT24H",
                "single-instance.forward-timeout|PT5S|forwardTimeout=PT5S",
                "single-instance.forward-timeout|2m|forwardTimeout=PT2M",
                "single-instance.forward-timeout|''|forwardTimeout=PT3S",
                "single-instance.forward-timeout|1x|single-instance.forward-timeout: '1x' is not a positive duration",
                "single-instance.forward-timeout|-5s|single-instance.forward-timeout: '-5s' is not a positive duration",
                "single-instance.forward-timeout|abc|single-instance.forward-timeout: 'abc' is not a positive duration",
                "single-instance.total-timeout|1d|totalTimeout=PT24H",
                "single-instance.total-timeout|0s|single-instance.total-timeout: '0s' is not a positive duration",
                "single-instance.id|other.app|id=other.app",
                "single-instance.id|' '|id=com.example.viewer",
                "single-instance.id|''|id=com.example.viewer",
                "single-instance.scope|user|scope=USER",
                "single-instance.scope|System|scope=SYSTEM",
                "single-instance.scope|''|scope=SESSION",
                "single-instance.scope|galaxy|single-instance.scope: 'galaxy' is not a scope",
                "single-instance.backend|posix|backend=POSIX",
                "single-instance.backend|Auto|backend=AUTO",
                "single-instance.backend|''|backend=PORTABLE",
                "single-instance.backend|beos|single-instance.backend: 'beos' is not a backend",
                "single-instance.ring-capacity|131072|ringCapacity=131072",
                "single-instance.ring-capacity|1000|single-instance.ring-capacity: '1000' is not a ring capacity",
                "single-instance.forward-stdin|TRUE|forwardStandardInput=true",
                "single-instance.forward-stdin|yes|single-instance.forward-stdin: 'yes' is not a boolean",
                "single-instance.forward-environment|HOME, LANG|forwardedVariables=[HOME, LANG]",
                "single-instance.forward-environment|*|forwardAllVariables=true",
                "single-instance.forward-environment|A=B|single-instance.forward-environment: 'A=B' is not a list"
            })
    void theSameValueGivesTheSameSettingsOrTheSameRefusalThroughEveryEntryPoint(
            String property, String value, String expected) throws IOException {
        this.property = property;
        System.setProperty(property, value);

        String builder = builder();
        String runListener = runListener();
        String fastLauncher = fastLauncher();

        assertThat(runListener).contains(expected).isEqualTo(fastLauncher);
        assertThat(builder).isEqualTo(runListener.startsWith("refused") ? runListener : builderPart(runListener));
    }

    /** What the builder exposes, or its refusal (which {@code claimOrExit} prints, exiting with the code). */
    private static String builder() {
        SingleInstance instance = SingleInstance.builder()
                .id("com.example.viewer")
                .scope(Scope.SESSION)
                .forwardTimeout(Duration.ofSeconds(3))
                .totalTimeout(Duration.ofMinutes(1))
                .ringCapacity(65536)
                .backend(Backend.PORTABLE)
                .build();
        try {
            return builderPart(instance.id(), instance.scope(), instance.forwardTimeout(), instance.totalTimeout())
                    + " backend=" + instance.backend();
        } catch (SingleInstanceException e) {
            return refused(e.exitCode(), e.getMessage());
        }
    }

    private static String runListener() {
        try {
            return describe(RunListenerSettings.of(MAIN));
        } catch (SingleInstanceException e) {
            return refused(e.exitCode(), e.getMessage());
        }
    }

    /** The launcher's arguments into the core: a refusal as ForwardOnly prints and returns it, else its settings. */
    private String fastLauncher() throws IOException {
        try (ZipFile jar = jar()) {
            Map<String, Object> arguments = FastLauncher.forwardArguments(jar, new String[0]);
            @SuppressWarnings("unchecked")
            Map<String, String> declared = (Map<String, String>) arguments.get(ForwardOnly.DECLARED);
            try {
                EffectiveSettings settings = SettingsReader.ofThisProcess().resolve(declared, ForwardOnly.DECLARED_BY);
                return describe(settings); // the id is declared: no need of the main class name
            } catch (SingleInstanceException refusal) {
                PrintStream err = System.err;
                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
                int exit;
                try {
                    exit = ForwardOnly.forward(new String[0], MAIN.getName(), declared, false);
                } finally {
                    System.setErr(err);
                }
                return refused(exit, printed.toString(StandardCharsets.UTF_8).strip());
            }
        }
    }

    private static String describe(EffectiveSettings s) {
        return builderPart(s.id(), s.scope(), s.forwardTimeout(), s.totalTimeout()) + " backend=" + s.backend()
                + " ringCapacity=" + s.ringCapacity() + " forwardStandardInput=" + s.forwardStandardInput()
                + " forwardAllVariables=" + s.forwardAllVariables() + " forwardedVariables="
                + s.forwardedVariables().stream().sorted().toList();
    }

    private static String builderPart(String id, Scope scope, Duration forwardTimeout, Duration totalTimeout) {
        return "id=" + id + " scope=" + scope + " forwardTimeout=" + forwardTimeout + " totalTimeout=" + totalTimeout;
    }

    /** The part of a description the builder exposes (id to backend). */
    private static String builderPart(String description) {
        return description.substring(0, description.indexOf(" ringCapacity="));
    }

    private static String refused(int exitCode, String line) {
        return "refused " + exitCode + ": " + line;
    }

    /** A jar laid out as Spring Boot's whose Start-Class is {@link #MAIN}. */
    private ZipFile jar() throws IOException {
        Path jar = Files.createTempFile(directory, "app", ".jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            out.write(("Manifest-Version: 1.0\r\nStart-Class: " + MAIN.getName() + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("BOOT-INF/classes/" + MAIN.getName().replace('.', '/') + ".class"));
            out.write(AnnotationReaderTest.classFile(MAIN));
        }
        return new ZipFile(jar.toFile());
    }
}
