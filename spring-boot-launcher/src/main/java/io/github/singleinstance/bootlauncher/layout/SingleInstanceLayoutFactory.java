package io.github.singleinstance.bootlauncher.layout;

import io.github.singleinstance.bootlauncher.FastLauncher;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.boot.loader.tools.CustomLoaderLayout;
import org.springframework.boot.loader.tools.Layout;
import org.springframework.boot.loader.tools.LayoutFactory;
import org.springframework.boot.loader.tools.Layouts;
import org.springframework.boot.loader.tools.LoaderClassesWriter;

/**
 * The layout of a Spring Boot executable jar whose second launch forwards before Spring loads: Spring Boot's own jar
 * layout, whose {@code Main-Class} is {@link FastLauncher} (written at the jar's root, next to Spring Boot's loader
 * classes) and which delegates to Spring Boot's launcher, named in an entry next to it. For spring-boot-maven-plugin:
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>org.springframework.boot</groupId>
 *   <artifactId>spring-boot-maven-plugin</artifactId>
 *   <configuration>
 *     <layoutFactory implementation="io.github.singleinstance.bootlauncher.layout.SingleInstanceLayoutFactory"/>
 *   </configuration>
 *   <dependencies>
 *     <dependency>
 *       <groupId>io.github.singleinstance</groupId>
 *       <artifactId>single-instance-spring-boot-launcher</artifactId>
 *       <version>...</version>
 *     </dependency>
 *   </dependencies>
 * </plugin>
 * }</pre>
 *
 * Only the jar layout (not war); Spring Boot's default loader implementation.
 */
public class SingleInstanceLayoutFactory implements LayoutFactory {

    static final String PACKAGE = "io/github/singleinstance/bootlauncher/";

    @Override
    public Layout getLayout(File source) {
        return new FastJar();
    }

    /** Spring Boot's jar layout with {@link FastLauncher} as the launcher. */
    static final class FastJar extends Layouts.Jar implements CustomLoaderLayout {

        @Override
        public String getLauncherClassName() {
            return FastLauncher.class.getName();
        }

        @Override
        public void writeLoadedClasses(LoaderClassesWriter writer) throws IOException {
            writer.writeLoaderClasses(); // Spring Boot's loader, as its own layout writes it
            for (var entry : launcherClasses().entrySet()) {
                writer.writeEntry(entry.getKey(), new ByteArrayInputStream(entry.getValue()));
            }
            writer.writeEntry(
                    FastLauncher.BOOT_LAUNCHER_ENTRY,
                    new ByteArrayInputStream(super.getLauncherClassName().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * The launcher's classes (the package of {@link FastLauncher}, without sub-packages such as this one), by entry
     * name, read from wherever this class was loaded: this module's jar, or its classes directory in its own build.
     */
    static TreeMap<String, byte[]> launcherClasses() throws IOException {
        TreeMap<String, byte[]> classes = new TreeMap<>();
        Path location;
        try {
            location = Path.of(FastLauncher.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the launcher classes", e);
        }
        if (Files.isDirectory(location)) {
            Path dir = location.resolve(PACKAGE);
            List<Path> files = new ArrayList<>();
            try (var stream = Files.list(dir)) {
                stream.filter(p -> p.getFileName().toString().endsWith(".class"))
                        .forEach(files::add);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            for (Path file : files) {
                classes.put(PACKAGE + file.getFileName(), Files.readAllBytes(file));
            }
        } else {
            try (ZipFile zip = new ZipFile(location.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String name = entry.getName();
                    if (name.startsWith(PACKAGE)
                            && name.endsWith(".class")
                            && name.indexOf('/', PACKAGE.length()) < 0) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            classes.put(name, in.readAllBytes());
                        }
                    }
                }
            }
        }
        if (!classes.containsKey(PACKAGE + "FastLauncher.class")) {
            throw new IOException("no launcher classes found at " + location);
        }
        return classes;
    }
}
