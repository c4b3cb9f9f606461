package io.github.singleinstance.internal.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsReaderTest {

    private static SettingsReader reader(Map<String, String> properties, Map<String, String> environment) {
        return new SettingsReader(properties::get, environment::get);
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void everySettingIsNamedByOneRule(Setting setting) {
        String name = setting.name().toLowerCase(Locale.ROOT).replace('_', '-');
        assertThat(setting.property()).isEqualTo("single-instance." + name);
        assertThat(setting.environmentVariable()).isEqualTo("SINGLE_INSTANCE_" + setting.name());
    }

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "5s, PT5S",
        " 2m , PT2M",
        "1h, PT1H",
        "1d, PT24H",
        "10us, PT0.00001S",
        "100ns, PT0.0000001S",
        "250, PT0.25S",
        "PT5S, PT5S",
        "pt1.5s, PT1.5S",
        "P1D, PT24H",
        "5S, PT5S"
    })
    void oneDurationGrammarAsSpringBootReadsIt(String text, Duration expected) {
        assertThat(SettingGrammar.duration("x", text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1x", "-5s", "0s", "abc", "PT0S", "5 s", "s", "99999999999999999999d", "PT-1S", "+5s"})
    void durationsThatAreNotPositiveOrNotDurationsAreRefusedInOneLine(String text) {
        assertThatThrownBy(() -> SettingGrammar.duration("single-instance.forward-timeout", text))
                .isInstanceOf(SingleInstanceException.class)
                .hasMessage("single-instance.forward-timeout: '" + text
                        + "' is not a positive duration; write one like 500ms, 5s, 2m, 1h, 1d or PT5S")
                .extracting(e -> ((SingleInstanceException) e).exitCode())
                .isEqualTo(78);
    }

    @Test
    void aDurationWrittenAsTextReadsBackTheSameWithoutIso8601WhereALongOfNanosHoldsIt() {
        for (Duration duration : new Duration[] {
            Duration.ofSeconds(5),
            Duration.ofMillis(1500),
            Duration.ofNanos(1),
            Duration.ofDays(3).plusNanos(7),
            Duration.ofSeconds(Long.MAX_VALUE),
            Duration.ofSeconds(Long.MAX_VALUE / 1000, 1)
        }) {
            String text = SettingGrammar.text(duration);
            assertThat(SettingGrammar.duration("test", text)).as(text).isEqualTo(duration);
        }
        assertThat(SettingGrammar.text(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(SettingGrammar.text(Duration.ofMillis(1500))).isEqualTo("1500000000ns");
        assertThat(SettingGrammar.text(Duration.ofSeconds(Long.MAX_VALUE / 1000, 1)))
                .startsWith("PT");
    }

    @Test
    void propertyWinsOverVariableWhichWinsOverTheDeclaredValueWhichWinsOverTheDefault() {
        Map<String, String> declared = Map.of("forwardTimeout", "3s", "id", "declared");
        SettingsReader none = reader(Map.of(), Map.of());
        assertThat(none.resolve(Map.of(), "@SingleInstance").forwardTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(none.resolve(declared, "@SingleInstance").forwardTimeout()).isEqualTo(Duration.ofSeconds(3));
        SettingsReader variable = reader(Map.of(), Map.of("SINGLE_INSTANCE_FORWARD_TIMEOUT", "2s"));
        assertThat(variable.resolve(declared, "@SingleInstance").forwardTimeout())
                .isEqualTo(Duration.ofSeconds(2));
        SettingsReader both = reader(
                Map.of("single-instance.forward-timeout", "1s", "single-instance.id", "property"),
                Map.of("SINGLE_INSTANCE_FORWARD_TIMEOUT", "2s", "SINGLE_INSTANCE_ID", "variable"));
        EffectiveSettings settings = both.resolve(declared, "@SingleInstance");
        assertThat(settings.forwardTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.id()).isEqualTo("property");
    }

    @Test
    void blankCountsAsNotSet() {
        SettingsReader blank =
                reader(Map.of("single-instance.forward-timeout", " "), Map.of("SINGLE_INSTANCE_FORWARD_TIMEOUT", ""));
        assertThat(blank.resolve(Map.of("forwardTimeout", "3s"), "@SingleInstance")
                        .forwardTimeout())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void defaultsWithNothingSetOrDeclared() {
        EffectiveSettings settings = reader(Map.of(), Map.of()).resolve(Map.of(), "@SingleInstance");
        assertThat(settings)
                .isEqualTo(new EffectiveSettings(
                        null,
                        Scope.USER,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(60),
                        false,
                        LaunchConfig.defaultRingCapacity(),
                        Duration.ofSeconds(30),
                        Backend.AUTO,
                        false,
                        false,
                        Set.of()));
        assertThat(reader(Map.of(), Map.of()).enabled()).isTrue();
    }

    @Test
    void everyGrammarReadsItsForms() {
        EffectiveSettings settings = reader(
                        Map.of(
                                "single-instance.scope", "Session",
                                "single-instance.backend", "PORTABLE",
                                "single-instance.replace", "TRUE",
                                "single-instance.ring-capacity", "65536",
                                "single-instance.forward-stdin", "true",
                                "single-instance.forward-environment", " HOME, LANG ,"),
                        Map.of("SINGLE_INSTANCE_TOTAL_TIMEOUT", "1s"))
                .resolve(Map.of("ringCapacity", "0"), "@SingleInstance");
        assertThat(settings.scope()).isEqualTo(Scope.SESSION);
        assertThat(settings.backend()).isEqualTo(Backend.PORTABLE);
        assertThat(settings.replace()).isTrue();
        assertThat(settings.ringCapacity()).isEqualTo(65536);
        assertThat(settings.forwardStandardInput()).isTrue();
        assertThat(settings.forwardedVariables()).containsExactlyInAnyOrder("HOME", "LANG");
        assertThat(settings.totalTimeout()).as("raised to the forward timeout").isEqualTo(Duration.ofSeconds(5));
        assertThat(reader(Map.of("single-instance.forward-environment", "*"), Map.of())
                        .resolve(Map.of(), "x")
                        .forwardAllVariables())
                .isTrue();
        assertThat(reader(Map.of(), Map.of("SINGLE_INSTANCE_ENABLED", "False")).enabled())
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "single-instance.scope|galaxy|is not a scope; write user, session or system",
                "single-instance.backend|fast|is not a backend; write auto, posix, portable or windows",
                "single-instance.replace|yes|is not a boolean; write true or false",
                "single-instance.forward-stdin|1|is not a boolean; write true or false",
                "single-instance.ring-capacity|1000|is not a ring capacity; write a power of two from 65536 to "
                        + "67108864 (bytes)",
                "single-instance.forward-environment|A=B|is not a list of environment variable names; write "
                        + "NAME,NAME or *"
            })
    void aMalformedValueIsRefusedInOneLineNamingWhereItCameFrom(String property, String value, String why) {
        assertThatThrownBy(() -> reader(Map.of(property, value), Map.of()).resolve(Map.of(), "@SingleInstance"))
                .hasMessage(property + ": '" + value + "' " + why);
        String variable = "SINGLE_INSTANCE_"
                + property.substring("single-instance.".length())
                        .replace('-', '_')
                        .toUpperCase(Locale.ROOT);
        assertThatThrownBy(() -> reader(Map.of(), Map.of(variable, value)).resolve(Map.of(), "@SingleInstance"))
                .hasMessage(variable + ": '" + value + "' " + why);
    }

    @Test
    void aMalformedDeclaredValueIsNamedByItsAttribute() {
        assertThatThrownBy(() -> reader(Map.of(), Map.of()).resolve(Map.of("totalTimeout", "soon"), "@SingleInstance"))
                .hasMessage("@SingleInstance(totalTimeout): 'soon' is not a positive duration; write one like 500ms,"
                        + " 5s, 2m, 1h, 1d or PT5S");
    }
}
