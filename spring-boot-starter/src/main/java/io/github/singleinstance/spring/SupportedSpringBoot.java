package io.github.singleinstance.spring;

import org.jspecify.annotations.Nullable;

/**
 * The Spring Boot versions the starter supports: 3.5.x and 4.x. Older lines are untested, a later major may change the
 * events the claim needs: an annotated application there must not start unclaimed, so it does not start. Tested with
 * each line named in the README; a later 4.x minor is accepted (the application events the claim listens to are
 * Spring Boot's stable API).
 */
final class SupportedSpringBoot {

    static final String SUPPORTED = "Spring Boot 3.5.x and 4.x";

    private SupportedSpringBoot() {}

    /** Whether {@code version} (as {@code SpringBootVersion.getVersion()} gives it, e.g. "3.5.16") is supported. */
    static boolean isSupported(@Nullable String version) {
        if (version == null) {
            return false;
        }
        String[] parts = version.split("[.-]", 3);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            return major == 3 && minor == 5 || major == 4;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Throws unless {@code version} is supported, naming the application, its version and the supported ones. */
    static void require(@Nullable String version, Class<?> mainClass) {
        if (!isSupported(version)) {
            throw new IllegalStateException(mainClass.getName() + " is a @SingleInstance application on Spring Boot "
                    + (version == null ? "of an unknown version" : version)
                    + ", which single-instance-spring-boot-starter does not support: it supports " + SUPPORTED
                    + ". Not starting it unclaimed: use a supported Spring Boot, or remove @SingleInstance.");
        }
    }
}
