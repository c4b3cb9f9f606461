package io.github.singleinstance.benchmarks.large;

import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A few owners and their pets, stored at startup (the database is in memory), after "Started ClinicApplication" is
 * logged: "Clinic ready" is logged when the application is ready, which is also when later launches begin to be
 * answered.
 */
@Component
class SampleData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SampleData.class);

    private final OwnerRepository owners;
    private final Environment environment;

    SampleData(OwnerRepository owners, Environment environment) {
        this.owners = owners;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        log.info("Clinic ready at http://localhost:{}/owners", environment.getProperty("local.server.port", "0"));
    }

    @Override
    public void run(ApplicationArguments args) {
        owners.save(new Owner("Ada", "Fischer", "Leeds", "0113496000")
                .addPet(new Pet("Pixel", "cat", LocalDate.of(2019, 3, 4))));
        owners.save(new Owner("Bruno", "Keller", "Basel", "0612345678")
                .addPet(new Pet("Rex", "dog", LocalDate.of(2017, 8, 21)))
                .addPet(new Pet("Kiwi", "bird", LocalDate.of(2022, 1, 9))));
        owners.save(new Owner("Chloe", "Martin", "Lyon", "0478123456"));
        owners.save(new Owner("Dmitri", "Kovacs", "Graz", "0316987654")
                .addPet(new Pet("Nemo", "fish", LocalDate.of(2024, 5, 30))));
        owners.save(new Owner("Elif", "Demir", "Izmir", "0232555123")
                .addPet(new Pet("Tarçın", "cat", LocalDate.of(2020, 11, 2))));
        owners.save(new Owner("Finn", "Kowalski", "Gdansk", "0581234567")
                .addPet(new Pet("Bolek", "dog", LocalDate.of(2018, 6, 15))));
    }
}
