package io.github.singleinstance.spring;

import static io.github.singleinstance.spring.SingleInstanceAutoConfigurationTests.claimed;
import static io.github.singleinstance.spring.SingleInstanceAutoConfigurationTests.relay;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.boot3.SpringBoot3HealthAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Health and info on Spring Boot 4 (spring-boot-health's API). Not compiled by the Spring Boot 3.5 tests, which have
 * SpringBoot3ActuatorContributionsTests instead.
 */
class ActuatorContributionsTests {

    /** Both lines' auto-configurations, as on an application's classpath. */
    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SingleInstanceAutoConfiguration.class, SpringBoot3HealthAutoConfiguration.class));

    @Test
    void healthAndInfoShowRoleIdAndLaunchesReceived() {
        claimed(contextRunner, relay(Duration.ofSeconds(30))).run(context -> {
            assertThat(context).hasSingleBean(HealthIndicator.class);
            var health = context.getBean("singleInstanceHealthIndicator", HealthIndicator.class)
                    .health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("role", "primary")
                    .containsEntry("id", "test-app")
                    .containsEntry("pid", ProcessHandle.current().pid())
                    .containsEntry("launchesReceived", 7L);
            Info.Builder info = new Info.Builder();
            context.getBean(InfoContributor.class).contribute(info);
            assertThat(info.build().getDetails()).containsEntry("single-instance", health.getDetails());
        });
    }

    @Test
    void springBoot3HealthIndicatorIsSkippedOnBoot4() {
        claimed(contextRunner, relay(Duration.ofSeconds(30))).run(context -> {
            assertThat(context).doesNotHaveBean(SpringBoot3HealthAutoConfiguration.class);
            assertThat(context).getBean("singleInstanceHealthIndicator").isInstanceOf(HealthIndicator.class);
        });
    }

    @Test
    void healthIndicatorCanBeDisabled() {
        claimed(contextRunner, relay(Duration.ofSeconds(30)))
                .withPropertyValues("management.health.singleinstance.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("singleInstanceHealthIndicator"));
    }

    @Test
    void actuatorContributionsBackOffWithoutActuator() {
        claimed(contextRunner, relay(Duration.ofSeconds(30)))
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class, InfoContributor.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(LaunchEventBridge.class);
                    assertThat(context).doesNotHaveBean("singleInstanceHealthIndicator");
                    assertThat(context).doesNotHaveBean("singleInstanceInfoContributor");
                });
    }
}
