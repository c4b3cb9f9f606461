package io.github.singleinstance.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.io.OutputStream;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;

/**
 * An annotated application on a Spring Boot the starter does not support fails to start, naming the supported
 * versions; the version is injected, as {@code SpringBootVersion.getVersion()} would give it on that Boot.
 */
class SupportedSpringBootTests {

    @AfterEach
    void clearOverrides() {
        System.clearProperty("spring.aot.processing");
        System.clearProperty("single-instance.enabled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5.0", "3.5.16", "4.0.0", "4.0.9", "4.1.1", "4.2.0-M1"})
    void supportedVersionsStart(String version) {
        assertThat(SupportedSpringBoot.isSupported(version)).isTrue();
        assertThat(listener(AnnotatedApp.class, version)).isEqualTo(AnnotatedApp.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.4.5", "3.0.0", "2.7.18", "5.0.0", "5.0.0-M1", "35", "", "unknown"})
    void annotatedApplicationOnAnUnsupportedVersionFailsNamingTheSupportedOnes(String version) {
        assertThat(SupportedSpringBoot.isSupported(version)).isFalse();
        assertThatIllegalStateException()
                .isThrownBy(() -> listener(AnnotatedApp.class, version))
                .withMessageContaining(
                        AnnotatedApp.class.getName() + " is a @SingleInstance application on Spring Boot "
                                + version + ", which single-instance-spring-boot-starter does not support: it supports "
                                + "Spring Boot 3.5.x and 4.x.");
    }

    @Test
    void unknownVersionIsUnsupported() {
        assertThatIllegalStateException()
                .isThrownBy(() -> listener(AnnotatedApp.class, null))
                .withMessageContaining("on Spring Boot of an unknown version");
    }

    @Test
    void theSpringBootRunningTheseTestsIsSupported() {
        assertThat(SupportedSpringBoot.isSupported(SpringBootVersion.getVersion()))
                .isTrue();
    }

    @Test
    void unannotatedApplicationOnAnUnsupportedVersionIsLeftAlone() {
        assertThat(listener(PlainApp.class, "3.4.5")).isNull();
    }

    @Test
    void aotProcessingOnAnUnsupportedVersionIsLeftAlone() {
        System.setProperty("spring.aot.processing", "true");
        assertThatNoException().isThrownBy(() -> listener(AnnotatedApp.class, "3.4.5"));
    }

    @Test
    void disabledClaimOnAnUnsupportedVersionIsLeftAlone() {
        System.setProperty("single-instance.enabled", "false");
        assertThatNoException().isThrownBy(() -> listener(AnnotatedApp.class, "3.4.5"));
    }

    private static @Nullable Class<?> listener(Class<?> mainClass, @Nullable String version) {
        SpringApplication application = new SpringApplication(mainClass);
        application.setMainApplicationClass(mainClass);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        return new SingleInstanceStartupListener(
                        System::getProperty,
                        name -> null,
                        discard,
                        discard,
                        code -> {
                            throw new AssertionError("exit " + code);
                        },
                        version)
                .claimingMainClass(application);
    }

    @SingleInstance
    static class AnnotatedApp {}

    static class PlainApp {}
}
