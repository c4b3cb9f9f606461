package io.github.singleinstance.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.settings.EffectiveSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.id()).isEqualTo(Defaults.class.getName());
        assertThat(settings.effective())
                .isEqualTo(new EffectiveSettings(
                        null,
                        Scope.USER,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(60),
                        false,
                        io.github.singleinstance.SingleInstance.DEFAULT_RING_CAPACITY,
                        EarlySettings.DEFAULT_STARTUP_REPLY_TIMEOUT,
                        Backend.AUTO,
                        false,
                        false,
                        Set.of()));
    }

    @Test
    void annotationAttributesApply() {
        EarlySettings settings = resolve(Configured.class, Map.of(), Map.of());
        assertThat(settings.id()).isEqualTo("com.example.viewer");
        assertThat(settings.effective())
                .isEqualTo(new EffectiveSettings(
                        "com.example.viewer",
                        Scope.SESSION,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(40),
                        false,
                        65536,
                        Duration.ofSeconds(1),
                        Backend.PORTABLE,
                        false,
                        false,
                        Set.of()));
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
        assertThat(settings.enabled()).as("nothing else is read then").isFalse();
        settings = resolve(
                Configured.class,
                Map.of("single-instance.scope", "system", "single-instance.backend", "posix"),
                Map.of(
                        "SINGLE_INSTANCE_SCOPE",
                        "user",
                        "SINGLE_INSTANCE_FORWARD_TIMEOUT",
                        "750ms",
                        "SINGLE_INSTANCE_ID",
                        "from-env"));
        assertThat(settings.effective().scope()).isEqualTo(Scope.SYSTEM);
        assertThat(settings.effective().forwardTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(settings.id()).isEqualTo("from-env");
        assertThat(settings.effective().backend()).isEqualTo(Backend.POSIX);
    }

    @Test
    void malformedValuesAreRefusedInOneLineNamingWhereTheyCameFrom() {
        assertThatThrownBy(() -> resolve(Defaults.class, Map.of("single-instance.scope", "galaxy"), Map.of()))
                .isInstanceOf(SingleInstanceException.class)
                .hasMessage("single-instance.scope: 'galaxy' is not a scope; write user, session or system");
        assertThatThrownBy(() -> resolve(Defaults.class, Map.of(), Map.of("SINGLE_INSTANCE_RING_CAPACITY", "1M")))
                .hasMessageStartingWith("SINGLE_INSTANCE_RING_CAPACITY: '1M' is not a ring capacity");
        assertThatThrownBy(() -> resolve(BadAttribute.class, Map.of(), Map.of()))
                .hasMessageStartingWith("@SingleInstance(startupReplyTimeout): '0s' is not a positive duration");
        assertThatThrownBy(() -> resolve(Defaults.class, Map.of(), Map.of("SINGLE_INSTANCE_BACKEND", "beos")))
                .hasMessage("SINGLE_INSTANCE_BACKEND: 'beos' is not a backend; write auto, posix, portable or windows");
        assertThat(resolve(BadAttribute.class, Map.of("single-instance.enabled", "false"), Map.of())
                        .enabled())
                .as("disabled: not refused for its other settings")
                .isFalse();
    }

    @SingleInstance(startupReplyTimeout = "0s")
    static class BadAttribute {}

    private static EarlySettings resolve(Class<?> main, Map<String, String> properties, Map<String, String> env) {
        return EarlySettings.resolve(main.getAnnotation(SingleInstance.class), main, properties::get, env::get);
    }
}
