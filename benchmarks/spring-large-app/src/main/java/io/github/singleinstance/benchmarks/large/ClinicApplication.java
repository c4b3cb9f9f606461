package io.github.singleinstance.benchmarks.large;

import io.github.singleinstance.spring.SingleInstance;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A petclinic-like application (JPA on H2, Thymeleaf, validation, actuator) to measure a larger application's second
 * launch: {@code java -jar spring-large-app.jar [last name prefix]}. The first launch serves the owners at
 * {@code /owners}; later launches ask it how many owners it has ({@link Launches}) and exit.
 */
@SingleInstance(id = "io.github.singleinstance.benchmarks.large")
@SpringBootApplication
public class ClinicApplication {

    public static void main(String[] args) {
        SpringApplication.run(ClinicApplication.class, args);
    }
}
