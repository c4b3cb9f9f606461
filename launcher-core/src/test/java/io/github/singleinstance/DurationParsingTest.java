package io.github.singleinstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationParsingTest {

    @Test
    void acceptsShortFormsAndIso() {
        assertThat(SingleInstance.parseDuration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(SingleInstance.parseDuration(" 500ms ")).isEqualTo(Duration.ofMillis(500));
        assertThat(SingleInstance.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SingleInstance.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(SingleInstance.parseDuration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void refusesNonsenseWithTheSpellingToUse() {
        assertThatThrownBy(() -> SingleInstance.parseDuration("soon")).hasMessageContaining("like 3s");
        assertThatThrownBy(() -> SingleInstance.parseDuration("0s")).hasMessageContaining("positive");
    }
}
