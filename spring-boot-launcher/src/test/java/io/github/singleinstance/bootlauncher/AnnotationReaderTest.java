package io.github.singleinstance.bootlauncher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.spring.SingleInstance;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotationReaderTest {

    @SingleInstance(
            id = "com.example.viewer",
            scope = Scope.SESSION,
            forwardTimeout = "3s",
            totalTimeout = "PT1M",
            ringCapacity = 65536,
            backend = Backend.PORTABLE)
    @Deprecated(since = "never") // another annotation first, with values of other kinds
    static final class Annotated {
        static final long LONG_CONSTANT = 1L; // a two-slot constant in the pool
        static final double DOUBLE_CONSTANT = 2.5;
    }

    @SingleInstance
    static final class Defaults {}

    @Deprecated
    static final class Other {}

    static final class Bare {}

    @Test
    void readsEveryWrittenAttributeAsText() throws IOException {
        Map<String, String> values = AnnotationReader.read(classFile(Annotated.class), FastLauncher.ANNOTATION);

        assertThat(values)
                .containsOnly(
                        Map.entry("id", "com.example.viewer"),
                        Map.entry("scope", "SESSION"),
                        Map.entry("forwardTimeout", "3s"),
                        Map.entry("totalTimeout", "PT1M"),
                        Map.entry("ringCapacity", "65536"),
                        Map.entry("backend", "PORTABLE"));
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface Sample {
        boolean on();

        boolean off();

        String[] names();

        Scope[] scopes();

        int[] numbers();
    }

    @Sample(
            on = true,
            off = false,
            names = {"HOME", "LANG"},
            scopes = {Scope.USER, Scope.SYSTEM},
            numbers = {1, 2})
    static final class WithBooleansAndArrays {}

    @Test
    void readsBooleansAndArraysOfStringsOrEnumsAsText() throws IOException {
        Map<String, String> values = AnnotationReader.read(
                classFile(WithBooleansAndArrays.class),
                "L" + Sample.class.getName().replace('.', '/') + ";");

        assertThat(values)
                .containsOnly(
                        Map.entry("on", "true"),
                        Map.entry("off", "false"),
                        Map.entry("names", "HOME,LANG"),
                        Map.entry("scopes", "USER,SYSTEM"),
                        Map.entry("numbers", "1,2"));
    }

    @Test
    void anAnnotationWithDefaultsOnlyHasNoValues() throws IOException {
        assertThat(AnnotationReader.read(classFile(Defaults.class), FastLauncher.ANNOTATION))
                .isEmpty();
    }

    @Test
    void aClassWithoutItGivesNull() throws IOException {
        assertThat(AnnotationReader.read(classFile(Other.class), FastLauncher.ANNOTATION))
                .isNull();
        assertThat(AnnotationReader.read(classFile(Bare.class), FastLauncher.ANNOTATION))
                .isNull();
    }

    @Test
    void notAClassFileIsRefused() {
        assertThatThrownBy(() -> AnnotationReader.read(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, FastLauncher.ANNOTATION))
                .isInstanceOf(IOException.class);
    }

    static byte[] classFile(Class<?> type) throws IOException {
        String name = type.getName();
        try (InputStream in = type.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }
}
