package io.github.singleinstance.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.PrimaryInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * A plain {@code @SpringBootTest} of the {@code @SingleInstance} application: its main application class is this
 * test, so nothing is claimed, nothing forwarded to a running copy of the tool, and the test JVM does not exit.
 */
@SpringBootTest
class WebToolApplicationTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    Launches launches;

    @Test
    void springBootTestOfTheAnnotatedApplicationNeitherClaimsNorExits() {
        assertThat(context.getBeansOfType(PrimaryInstance.class)).isEmpty();
        assertThat(launches.launches())
                .singleElement()
                .satisfies(first -> assertThat(first.pid())
                        .isEqualTo(ProcessHandle.current().pid()));
    }
}
