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
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The classes of jars nested in the executable jar (BOOT-INF/lib), each jar read into memory and a class inflated
 * only when it is asked for (a second launch needs about half of the core's classes); its parent is the platform class
 * loader, so it sees the JDK and these jars only, never the application's class path (the executable jar's root,
 * where Spring Boot's loader is). Multi-release jars: the newest version directory up to this Java wins.
 *
 * <p>The core logs only in rare cases (a primary that dies under a launch, a refused runtime directory). So that such
 * a line never fails the launch, SLF4J's API can be read from its nested jar too, when first asked for; its provider
 * is then SLF4J's own no-operation one, named by a service file this loader makes up (no provider found would print
 * a warning on standard error; Logback is never loaded here).
 */
final class NestedJarClassLoader extends ClassLoader implements Consumer<Object> {

    static final String SLF4J_PROVIDER_SERVICE = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
    static final String SLF4J_NOP_PROVIDER = "org.slf4j.helpers.NOP_FallbackServiceProvider";

    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;

    /** Where each class file is: its jar's bytes and the offset of its central directory header there. */
    private final Map<String, Located> classes = new HashMap<>();

    private final ZipFile outer;
    private final String slf4jEntry;
    private boolean slf4jRead;
    /** What a class of the nested jars handed this loader ({@link #accept}); guarded by {@code this}. */
    private Object handed;

    private static final class Located {
        final byte[] jar;
        final int header;
        final int version;

        Located(byte[] jar, int header, int version) {
            this.jar = jar;
            this.header = header;
            this.version = version;
        }
    }

    /**
     * @param outer the executable jar, open until this loader is done with it
     * @param entries the nested jars to index at once
     * @param slf4jEntry the nested jar of SLF4J's API, indexed only if a class of it is asked for; or null
     */
    NestedJarClassLoader(ZipFile outer, String[] entries, String slf4jEntry) throws IOException {
        super("single-instance-launcher", ClassLoader.getPlatformClassLoader());
        this.outer = outer;
        this.slf4jEntry = slf4jEntry;
        for (String entry : entries) {
            index(entry);
        }
    }

    /**
     * Takes an object a class of the nested jars hands its loader while it initialises: the core's forward-only entry,
     * called then through a JDK interface rather than by reflection (whose first {@code Method.invoke} spins method
     * handles: some 30 ms on Java 25).
     */
    @Override
    public synchronized void accept(Object entry) {
        handed = entry;
    }

    /** What was handed to this loader ({@link #accept}), or null. */
    synchronized Object handed() {
        return handed;
    }

    /** Reads the nested jar {@code entry} and indexes its class files by their central directory headers. */
    private void index(String entry) throws IOException {
        ZipEntry nested = outer.getEntry(entry);
        if (nested == null) {
            throw new IOException("no " + entry + " in " + outer.getName());
        }
        byte[] jar;
        try (InputStream in = outer.getInputStream(nested)) {
            jar = in.readAllBytes();
        }
        int end = -1;
        for (int at = jar.length - 22; at >= 0 && at >= jar.length - 22 - 0xFFFF; at--) {
            if (int32(jar, at) == END_OF_CENTRAL_DIRECTORY) {
                end = at;
                break;
            }
        }
        if (end < 0) {
            throw new IOException(entry + " is no zip file (no end of central directory)");
        }
        int count = int16(jar, end + 10);
        int at = int32(jar, end + 16);
        int feature = Runtime.version().feature();
        for (int i = 0; i < count; i++) {
            if (at < 0 || at + 46 > jar.length || int32(jar, at) != CENTRAL_HEADER) {
                throw new IOException(entry + ": a damaged central directory");
            }
            int nameLength = int16(jar, at + 28);
            String name = new String(jar, at + 46, nameLength, StandardCharsets.UTF_8);
            int header = at;
            at += 46 + nameLength + int16(jar, at + 30) + int16(jar, at + 32);
            if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
                continue;
            }
            int version = 8;
            if (name.startsWith("META-INF/versions/")) {
                int slash = name.indexOf('/', 18);
                try {
                    version = Integer.parseInt(name.substring(18, slash));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    continue;
                }
                if (version > feature) {
                    continue;
                }
                name = name.substring(slash + 1);
            }
            Located known = classes.get(name);
            if (known == null || known.version < version) {
                classes.put(name, new Located(jar, header, version));
            }
        }
    }

    /** The class file at central directory header {@code header} of {@code jar}, inflated. */
    private static byte[] read(byte[] jar, int header) throws IOException {
        int method = int16(jar, header + 10);
        int compressed = int32(jar, header + 20);
        int size = int32(jar, header + 24);
        int local = int32(jar, header + 42);
        if (compressed < 0 || size < 0 || local < 0 || local + 30 > jar.length || int32(jar, local) != LOCAL_HEADER) {
            throw new IOException("a damaged local header (or a zip64 entry)");
        }
        int data = local + 30 + int16(jar, local + 26) + int16(jar, local + 28);
        if (data + compressed > jar.length) {
            throw new IOException("a truncated entry");
        }
        byte[] out = new byte[size];
        if (method == ZipEntry.STORED) {
            System.arraycopy(jar, data, out, 0, size);
            return out;
        }
        if (method != ZipEntry.DEFLATED) {
            throw new IOException("an entry compressed by method " + method);
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(jar, data, compressed);
            int done = 0;
            while (done < size) {
                int n = inflater.inflate(out, done, size - done);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("a truncated deflated entry");
                }
                done += n;
            }
        } catch (DataFormatException e) {
            throw new IOException("a damaged deflated entry", e);
        } finally {
            inflater.end();
        }
        return out;
    }

    private static int int16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/').concat(".class");
        byte[] bytes;
        try {
            Located located;
            synchronized (classes) {
                located = classes.get(path);
                if (located == null && !slf4jRead && slf4jEntry != null && name.startsWith("org.slf4j.")) {
                    slf4jRead = true;
                    index(slf4jEntry);
                    located = classes.get(path);
                }
            }
            if (located == null) {
                throw new ClassNotFoundException(name);
            }
            bytes = read(located.jar, located.header);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
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
