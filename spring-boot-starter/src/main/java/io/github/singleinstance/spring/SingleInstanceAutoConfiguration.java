package io.github.singleinstance.spring;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.spring.boot3.InstanceDetails;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the single-instance starter: in a primary instance (the run listener registered the claim
 * as beans) it publishes forwarded launches as {@link LaunchEvent}s once the context is ready, and with Actuator it
 * contributes the claim to health ({@code singleInstance}) and info ({@code single-instance}). Elsewhere (tests, a
 * second context, an unannotated application) it only binds {@link SingleInstanceProperties}.
 *
 * <p>Spring Boot 3.5 and 4.x: everything here is in the same place on both lines except the health API, which
 * Boot 4 moved to spring-boot-health. {@link HealthConfiguration} is Boot 4's indicator; Boot 3.5's is
 * {@code SpringBoot3HealthAutoConfiguration}, compiled against Boot 3.5 in spring-boot3-support. Each is skipped on
 * the other line by its {@code @ConditionalOnClass}.
 */
@AutoConfiguration
@EnableConfigurationProperties(SingleInstanceProperties.class)
public final class SingleInstanceAutoConfiguration {

    /** Not {@code @ConditionalOnMissingBean}: the bridge is internal, no application can supply its own. */
    @Bean
    @ConditionalOnBean(LaunchRelay.class)
    LaunchEventBridge singleInstanceLaunchEventBridge(LaunchRelay relay) {
        return new LaunchEventBridge(relay);
    }

    /** The health indicator on Spring Boot 4. */
    @Configuration(proxyBeanMethods = false)
    // By name: a class literal of a missing type makes Spring drop the condition when it reads this class by
    // reflection (as ApplicationContextRunner and a registered configuration class do) and then fail on Boot 3.5.
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnBean(PrimaryInstance.class)
    @ConditionalOnEnabledHealthIndicator("singleinstance")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "singleInstanceHealthIndicator")
        HealthIndicator singleInstanceHealthIndicator(PrimaryInstance primary) {
            return () -> Health.up().withDetails(InstanceDetails.of(primary)).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InfoContributor.class)
    @ConditionalOnBean(PrimaryInstance.class)
    static class InfoConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "singleInstanceInfoContributor")
        InfoContributor singleInstanceInfoContributor(PrimaryInstance primary) {
            return builder -> builder.withDetail("single-instance", InstanceDetails.of(primary));
        }
    }
}
