package io.github.singleinstance.spring.boot3;

import io.github.singleinstance.PrimaryInstance;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code singleInstance} health indicator on Spring Boot 3.5 (Boot 4's health API is another package, in
 * spring-boot-health; the starter has that one). An auto-configuration of its own, listed in this jar's
 * {@code AutoConfiguration.imports}, so that the starter, compiled against Boot 4, never names a class annotated with
 * Boot 3.5 types. Skipped where Boot 3.5's {@code HealthIndicator} is absent, which includes every Boot 4
 * application.
 *
 * <p>Compiled against Spring Boot 3.5 (see this module's POM). Not an API.
 */
@AutoConfiguration
// By name: a class literal of a missing type makes Spring drop the condition when it reads this class by reflection.
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(PrimaryInstance.class)
@ConditionalOnEnabledHealthIndicator("singleinstance")
public class SpringBoot3HealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "singleInstanceHealthIndicator")
    HealthIndicator singleInstanceHealthIndicator(PrimaryInstance primary) {
        return () -> Health.up().withDetails(InstanceDetails.of(primary)).build();
    }
}
