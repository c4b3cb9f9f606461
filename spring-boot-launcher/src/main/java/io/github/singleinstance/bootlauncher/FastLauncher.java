package io.github.singleinstance.bootlauncher;

import io.github.singleinstance.internal.boot.ForwardOnly;
import io.github.singleinstance.internal.os.ClaimFiles;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code Main-Class} of a Spring Boot executable jar built with {@code SingleInstanceLayoutFactory}: a launch that
 * finds the application's primary running forwards to it and exits with its reply, before any Spring class loads;
 * any other launch claims here and starts the application through Spring Boot's own launcher, in this JVM, whose run
 * listener then adopts the claim rather than claiming again.
 *
 * <p>The claim is handed over by the core ({@code io.github.singleinstance.internal.claim.ClaimHandover}), as JDK types,
 * under the system property {@code io.github.singleinstance.claim-handover}: the core's copy here keeps the claim
 * beating (launches that come while the application starts wait for it instead of starting it too) until the
 * application's copy, in Spring Boot's class loader, takes its {@code FileChannel} and {@code FileLock} when its run
 * listener claims; this copy registers no cleanup. If the run listener does not claim, it lets go of the claim; if
 * none claims within the forward timeout, the core's copy here lets go of it. Where the claim is no lock file (the
 * windows backend) this launcher only looks and forwards, and the run listener claims.
 *
 * <p>What it reads, without loading Spring or the application: the manifest's {@code Start-Class} and that class's
 * {@code @SingleInstance} attributes from its class file, as text. It hands them, with the arguments, to the
 * single-instance core read from BOOT-INF/lib into a class loader of its own (the JDK and the core, SLF4J's API only
 * if the core logs): the core's {@code ForwardOnly} reads the settings as the run listener does (system property,
 * environment variable, attribute, default; one grammar), refuses a malformed one with one line and exit 78, and
 * forwards, or leaves it to the application if the claim is disabled or replace asked. Whenever it cannot tell (no
 * annotation on the start class itself, no core in the jar, any error before forwarding), it starts the application without claiming, and the run listener decides
 * as always: slower, never wrong.
 *
 * <p>Uses the JDK only at run time: no lambdas, no indy string concatenation and no core reflection on the way to
 * forwarding (each costs a second launch milliseconds; the first {@code Method.invoke} some 30 ms on Java 25). It
 * compiles against the core for the names of {@code ForwardOnly}'s arguments and the hand-over property, constants
 * that the compiler copies in: no class of the core is loaded by this class. Runs on the main thread, once.
 */
public final class FastLauncher {

    /** The entry, next to this class, naming Spring Boot's launcher to delegate to (written by the layout). */
    public static final String BOOT_LAUNCHER_ENTRY = "io/github/singleinstance/bootlauncher/boot-launcher";

    static final String DEFAULT_BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    static final String ANNOTATION = "Lio/github/singleinstance/spring/SingleInstance;";
    static final String FORWARD_ONLY = "io.github.singleinstance.internal.boot.ForwardOnly";
    /** Where the core publishes a claim it won for the application. */
    static final String HANDOVER_PROPERTY = ClaimFiles.HANDOVER_PROPERTY;
    /** Set to {@code true} to see on standard error why a launch was not forwarded here. */
    static final String DEBUG_PROPERTY = "single-instance.launcher.debug";

    private static final int NO_PRIMARY = ForwardOnly.NO_PRIMARY;

    private FastLauncher() {}

    public static void main(String[] args) throws Throwable {
        String bootLauncher = DEFAULT_BOOT_LAUNCHER;
        int exit = NO_PRIMARY;
        Path jar = ownJar();
        if (jar != null) {
            ZipFile zip = null;
            try {
                zip = new ZipFile(jar.toFile());
                String named = text(zip, BOOT_LAUNCHER_ENTRY);
                if (named != null && !named.isBlank()) {
                    bootLauncher = named.strip();
                }
                exit = forwardIfRunning(zip, args);
            } catch (IOException | RuntimeException | LinkageError e) {
                debug("not forwarded here: " + e);
            } finally {
                closeUnlessHandingOver(zip);
            }
        }
        if (exit != NO_PRIMARY) {
            System.exit(exit);
        }
        startApplication(bootLauncher, args);
    }

    /**
     * The reply's exit code if forwarded (the reply printed); {@code NO_PRIMARY} to start the application, having
     * claimed for it where the claim can be handed over.
     */
    static int forwardIfRunning(ZipFile zip, String[] args) throws IOException {
        Map<String, Object> arguments = forwardArguments(zip, args);
        if (arguments == null) {
            return NO_PRIMARY;
        }
        String core = null;
        String slf4j = null;
        // the class path index lists the nested jars (one entry to read, not the whole directory); else every entry
        String index = text(zip, "BOOT-INF/classpath.idx");
        String[] names = index != null ? index.split("\n") : null;
        Enumeration<? extends ZipEntry> entries = index != null ? null : zip.entries();
        for (int i = 0; names != null ? i < names.length : entries.hasMoreElements(); i++) {
            String name =
                    names != null ? unquote(names[i]) : entries.nextElement().getName();
            if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
                String file = name.substring(13);
                if (file.startsWith("single-instance-core-")) {
                    core = name;
                } else if (file.startsWith("slf4j-api-")) {
                    slf4j = name;
                }
            }
        }
        if (core == null) {
            debug("no single-instance-core jar in BOOT-INF/lib");
            return NO_PRIMARY;
        }
        NestedJarClassLoader loader = new NestedJarClassLoader(zip, new String[] {core}, slf4j);
        try {
            Class.forName(FORWARD_ONLY, true, loader); // initialising it hands the loader its entry
        } catch (ClassNotFoundException e) {
            debug("the core in the jar has no forward-only entry (an older version?): " + e);
            return NO_PRIMARY;
        }
        if (!(loader.handed() instanceof ToIntFunction<?> entry)) {
            debug("the core's forward-only entry handed nothing over (another version?)");
            return NO_PRIMARY;
        }
        @SuppressWarnings("unchecked")
        ToIntFunction<Map<String, Object>> forward = (ToIntFunction<Map<String, Object>>) entry;
        try {
            return forward.applyAsInt(arguments);
        } catch (RuntimeException | LinkageError e) {
            // something may have been sent: do not start the application (its run listener would send it again)
            System.err.println(arguments.get(ForwardOnly.MAIN_CLASS) + ": the launch failed while forwarding: " + e);
            return 70;
        }
    }

    /**
     * The named arguments of the core's {@code ForwardOnly} for this launch (it claims for the application if no
     * primary runs; it also says whether the claim is disabled or replace asked, and checks every setting); null if
     * the start class carries no {@code @SingleInstance} itself (the application then decides).
     */
    static Map<String, Object> forwardArguments(ZipFile zip, String[] args) throws IOException {
        ZipEntry manifestEntry = zip.getEntry("META-INF/MANIFEST.MF");
        if (manifestEntry == null) {
            return null;
        }
        Manifest manifest;
        try (InputStream in = zip.getInputStream(manifestEntry)) {
            manifest = new Manifest(in);
        }
        Attributes main = manifest.getMainAttributes();
        String startClass = main.getValue("Start-Class");
        String classes = main.getValue("Spring-Boot-Classes");
        if (startClass == null) {
            debug("no Start-Class in the manifest");
            return null;
        }
        ZipEntry classFile = zip.getEntry(
                (classes == null ? "BOOT-INF/classes/" : classes) + startClass.replace('.', '/') + ".class");
        if (classFile == null) {
            debug("no class file of " + startClass);
            return null;
        }
        Map<String, String> declared;
        try (InputStream in = zip.getInputStream(classFile)) {
            declared = AnnotationReader.read(in.readAllBytes(), ANNOTATION);
        }
        if (declared == null) {
            debug(startClass + " carries no @SingleInstance itself");
            return null;
        }
        Map<String, Object> arguments = new HashMap<>();
        arguments.put(ForwardOnly.ARGS, args);
        arguments.put(ForwardOnly.MAIN_CLASS, startClass);
        arguments.put(ForwardOnly.DECLARED, declared);
        arguments.put(ForwardOnly.HAND_OVER, Boolean.TRUE); // no primary: claim, for the run listener to adopt
        return arguments;
    }

    /** A line of Spring Boot's class path index, {@code - "BOOT-INF/lib/x.jar"}, as the entry name. */
    static String unquote(String line) {
        int first = line.indexOf('"');
        int last = line.lastIndexOf('"');
        return first >= 0 && last > first ? line.substring(first + 1, last) : line.strip();
    }

    /**
     * Closes the jar, unless a claim is being handed over: the core's copy here keeps it beating until the application
     * adopts it or it lets go, and its class loader reads SLF4J's API from this jar the first time it logs, so the jar
     * stays open for the JVM's life then (one descriptor).
     */
    static void closeUnlessHandingOver(ZipFile zip) {
        if (zip == null || System.getProperties().get(HANDOVER_PROPERTY) != null) {
            return;
        }
        try {
            zip.close();
        } catch (IOException e) {
            debug("closing its jar: " + e);
        }
    }

    /** Runs Spring Boot's launcher's {@code main} in this JVM, as if it were the jar's {@code Main-Class}. */
    static void startApplication(String bootLauncher, String[] args) throws Throwable {
        Method main = Class.forName(bootLauncher).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Path ownJar() {
        try {
            java.security.CodeSource source =
                    FastLauncher.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path path = Path.of(source.getLocation().toURI());
            return java.nio.file.Files.isRegularFile(path) ? path : null; // not a directory (an IDE run)
        } catch (java.net.URISyntaxException | RuntimeException e) {
            debug("cannot tell its own jar: " + e);
            return null;
        }
    }

    private static String text(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void debug(String message) {
        if (Boolean.getBoolean(DEBUG_PROPERTY)) {
            System.err.println("single-instance launcher: ".concat(message));
        }
    }
}
