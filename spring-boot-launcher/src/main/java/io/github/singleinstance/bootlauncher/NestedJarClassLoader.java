package io.github.singleinstance.bootlauncher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The classes of jars nested in the executable jar (BOOT-INF/lib), read into memory; its parent is the platform class
 * loader, so it sees the JDK and these jars only, never the application's class path (the executable jar's root,
 * where Spring Boot's loader is). Multi-release jars: the newest version directory up to this Java wins.
 *
 * <p>The core logs only in rare cases (a primary that dies under a launch, a refused runtime directory). So that such
 * a line never fails the launch, SLF4J's API can be read from its nested jar too, when first asked for; its provider
 * is then SLF4J's own no-operation one, named by a service file this loader makes up (no provider found would print
 * a warning on standard error; Logback is never loaded here).
 */
final class NestedJarClassLoader extends ClassLoader {

    static final String SLF4J_PROVIDER_SERVICE = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
    static final String SLF4J_NOP_PROVIDER = "org.slf4j.helpers.NOP_FallbackServiceProvider";

    private final Map<String, byte[]> classes = new HashMap<>();
    private final ZipFile outer;
    private final String slf4jEntry;
    private boolean slf4jRead;

    /**
     * @param outer the executable jar, open until this loader is done with it
     * @param entries the nested jars to read at once (stored, as Spring Boot writes them)
     * @param slf4jEntry the nested jar of SLF4J's API, read only if a class of it is asked for; or null
     */
    NestedJarClassLoader(ZipFile outer, String[] entries, String slf4jEntry) throws IOException {
        super("single-instance-launcher", ClassLoader.getPlatformClassLoader());
        this.outer = outer;
        this.slf4jEntry = slf4jEntry;
        for (String entry : entries) {
            read(entry);
        }
    }

    private void read(String entry) throws IOException {
        ZipEntry nested = outer.getEntry(entry);
        if (nested == null) {
            throw new IOException("no " + entry + " in " + outer.getName());
        }
        int feature = Runtime.version().feature();
        Map<String, Integer> versionOf = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(outer.getInputStream(nested))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = e.getName();
                if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
                    continue;
                }
                int version = 8;
                if (name.startsWith("META-INF/versions/")) {
                    int slash = name.indexOf('/', 18);
                    version = Integer.parseInt(name.substring(18, slash));
                    if (version > feature) {
                        continue;
                    }
                    name = name.substring(slash + 1);
                }
                Integer known = versionOf.get(name);
                if (known == null || known < version) {
                    versionOf.put(name, version);
                    classes.put(name, in.readAllBytes());
                }
            }
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/').concat(".class");
        byte[] bytes;
        synchronized (classes) {
            bytes = classes.get(path);
            if (bytes == null && !slf4jRead && slf4jEntry != null && name.startsWith("org.slf4j.")) {
                slf4jRead = true;
                try {
                    read(slf4jEntry);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
                bytes = classes.get(path);
            }
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    @SuppressWarnings("deprecation") // URL's constructor with a handler: the one way to a URL of bytes in memory
    protected URL findResource(String name) {
        if (!SLF4J_PROVIDER_SERVICE.equals(name) || slf4jEntry == null) {
            return null;
        }
        byte[] content = SLF4J_NOP_PROVIDER.concat("\n").getBytes(StandardCharsets.UTF_8);
        try {
            return new URL("single-instance", null, -1, "/" + name, new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL url) {
                    return new URLConnection(url) {
                        @Override
                        public void connect() {}

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(content);
                        }
                    };
                }
            });
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
    }
}
