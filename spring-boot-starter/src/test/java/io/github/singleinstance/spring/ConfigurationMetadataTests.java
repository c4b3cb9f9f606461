package io.github.singleinstance.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The metadata generated at build time: IDEs complete the settings from spring-configuration-metadata.json, and
 * Spring Boot filters the auto-configurations by class from spring-autoconfigure-metadata.properties. Both lines
 * (the Boot 3.5 tests read the same jar).
 */
class ConfigurationMetadataTests {

    @Test
    void everySettingIsDocumentedForIdes() throws IOException {
        String json = resource("META-INF/spring-configuration-metadata.json");
        for (String name : new String[] {
            "enabled",
            "id",
            "scope",
            "forward-timeout",
            "ring-capacity",
            "startup-reply-timeout",
            "backend",
            "directory"
        }) {
            assertThat(json).contains("\"name\": \"single-instance." + name + "\"");
        }
        assertThat(json).contains("\"sourceType\": \"" + SingleInstanceProperties.class.getName() + "\"");
    }

    @Test
    void eachLinesHealthIndicatorIsFilteredByItsLinesHealthApi() throws IOException {
        Properties starter =
                properties("META-INF/spring-autoconfigure-metadata.properties", SingleInstanceAutoConfiguration.class);
        assertThat(starter.getProperty(
                        SingleInstanceAutoConfiguration.class.getName() + "$HealthConfiguration.ConditionalOnClass"))
                .isEqualTo("org.springframework.boot.health.contributor.HealthIndicator");
        Properties boot3 = properties(
                "META-INF/spring-autoconfigure-metadata.properties",
                io.github.singleinstance.spring.boot3.SpringBoot3HealthAutoConfiguration.class);
        assertThat(boot3.getProperty(
                        "io.github.singleinstance.spring.boot3.SpringBoot3HealthAutoConfiguration.ConditionalOnClass"))
                .isEqualTo("org.springframework.boot.actuate.health.HealthIndicator");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigurationMetadataTests.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code name} from the jar (or classes directory) that holds {@code owner}. */
    private static Properties properties(String name, Class<?> owner) throws IOException {
        String location =
                owner.getProtectionDomain().getCodeSource().getLocation().toString();
        URL url = URI.create(location.endsWith(".jar") ? "jar:" + location + "!/" + name : location + name)
                .toURL();
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
            properties.load(in);
        }
        return properties;
    }
}
