package io.github.singleinstance.spring.testing;

/**
 * For the examples' process tests: a "Spring Boot launcher" that never starts the application, so never adopts a claim
 * the fast launcher made for it, and keeps running (a start class that never claims). {@link LaunchedJvm#withBootLauncher}
 * puts it at the root of a copy of an example's jar and names it as the launcher the fast launcher delegates to. The
 * JDK only: it runs from the jar's root, next to Spring Boot's loader.
 */
public final class NeverAdopts {

    /** Printed when it runs, in place of the application. */
    public static final String RUNNING = "TEST NEVER ADOPTS: running without the application";

    private NeverAdopts() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println(RUNNING);
        System.out.flush();
        Thread.sleep(300_000); // bounded: the test ends it long before
    }
}
