package io.github.singleinstance.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlySettingsTests {

    @SingleInstance
    static class Defaults {}

    @SingleInstance(
            id = "com.example.viewer",
            scope = Scope.SESSION,
            forwardTimeout = "2s",
            totalTimeout = "40s",
            ringCapacity = 65536,
            startupReplyTimeout = "1s",
            backend = Backend.PORTABLE)
    static class Configured {}

    @Test
    void defaultsNameTheApplicationAfterItsMainClass() {
        EarlySettings settings = resolve(Defaults.class, Map.of(), Map.of());
        assertThat(settings)
                .isEqualTo(new EarlySettings(
                        true,
                        Defaults.class.getName(),
                        Scope.USER,
                        null,
                        null,
                        0,
                        EarlySettings.DEFAULT_STARTUP_REPLY_TIMEOUT,
                        Backend.AUTO,
                        false,
                        java.util.List.of()));
    }

    @Test
    void annotationAttributesApply() {
        assertThat(resolve(Configured.class, Map.of(), Map.of()))
                .isEqualTo(new EarlySettings(
                        true,
                        "com.example.viewer",
                        Scope.SESSION,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(40),
                        65536,
                        Duration.ofSeconds(1),
                        Backend.PORTABLE,
                        false,
                        java.util.List.of()));
    }

    @Test
    void systemPropertyWinsOverEnvironmentWhichWinsOverTheAnnotation() {
        EarlySettings settings = resolve(
                Configured.class,
                Map.of(
                        "single-instance.scope",
                        "system",
                        "single-instance.enabled",
                        "false",
                        "single-instance.backend",
                        "posix"),
                Map.of(
                        "SINGLE_INSTANCE_SCOPE",
                        "user",
                        "SINGLE_INSTANCE_FORWARD_TIMEOUT",
                        "750ms",
                        "SINGLE_INSTANCE_ENABLED",
                        "true",
                        "SINGLE_INSTANCE_ID",
                        "from-env"));
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.scope()).isEqualTo(Scope.SYSTEM);
        assertThat(settings.forwardTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(settings.id()).isEqualTo("from-env");
        assertThat(settings.backend()).isEqualTo(Backend.POSIX);
    }

    @Test
    void malformedValuesNameThePropertyAndTheValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> resolve(Defaults.class, Map.of("single-instance.scope", "galaxy"), Map.of()))
                .withMessage("not a scope: single-instance.scope=galaxy; use user, session or system");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> resolve(Defaults.class, Map.of(), Map.of("SINGLE_INSTANCE_RING_CAPACITY", "1M")))
                .withMessageContaining("single-instance.ring-capacity=1M");
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> resolve(Defaults.class, Map.of("single-instance.startup-reply-timeout", "0s"), Map.of()))
                .withMessage("must be positive: single-instance.startup-reply-timeout=0s");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> resolve(Defaults.class, Map.of(), Map.of("SINGLE_INSTANCE_BACKEND", "beos")))
                .withMessage("unknown backend: single-instance.backend=beos; use one of auto, posix, portable, "
                        + "windows");
    }

    private static EarlySettings resolve(Class<?> main, Map<String, String> properties, Map<String, String> env) {
        return EarlySettings.resolve(main.getAnnotation(SingleInstance.class), main, properties::get, env::get);
    }
}
