package io.github.singleinstance.spring.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * For the examples' process tests: holds an application's startup after it claimed and before its context is refreshed
 * ({@link ApplicationPreparedEvent}, long before it is ready) until the file named by the system property
 * {@value #RELEASE_FILE} exists, so that a test can send a launch while the primary is certainly still starting.
 * Prints {@value #HELD} when it starts holding and {@value #RELEASED} when it lets go. Added to an example's packaged
 * jar from outside (the example knows nothing of it): {@link LaunchedJvm#startHeld} puts this class and a
 * {@code META-INF/spring.factories} that registers it as an application listener on {@code loader.path}.
 */
public final class HeldStartup implements ApplicationListener<ApplicationPreparedEvent> {

    /** The system property naming the file whose existence releases the startup. */
    public static final String RELEASE_FILE = "test.startup.release-file";

    /** Printed when the startup is held. */
    public static final String HELD = "TEST STARTUP HELD";

    /** Printed when the startup goes on. */
    public static final String RELEASED = "TEST STARTUP RELEASED";

    /** At most this long held: a test that never releases does not leave a hung JVM behind for long. */
    private static final Duration BOUND = Duration.ofMinutes(5);

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        String file = System.getProperty(RELEASE_FILE);
        if (file == null) {
            return;
        }
        System.out.println(HELD + " until " + file + " exists");
        System.out.flush();
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!Files.exists(Path.of(file)) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10); // polling for the file, bounded
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.println(RELEASED);
        System.out.flush();
    }

    /**
     * Copies this class into {@code directory} (a class-path root, for {@code loader.path}) with a
     * {@code META-INF/spring.factories} that registers it as an application listener.
     */
    static Path copyTo(Path directory) {
        String resource = HeldStartup.class.getName().replace('.', '/') + ".class";
        Path target = directory.resolve(resource);
        try (InputStream in = HeldStartup.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the test class path");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
            Path factories = directory.resolve("META-INF/spring.factories");
            Files.createDirectories(factories.getParent());
            Files.writeString(
                    factories, ApplicationListener.class.getName() + "=" + HeldStartup.class.getName() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory;
    }
}
