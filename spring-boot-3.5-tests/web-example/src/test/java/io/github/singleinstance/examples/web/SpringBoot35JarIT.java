package io.github.singleinstance.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.testing.LaunchedJvm;
import java.io.IOException;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The jar the web example's process tests start here is a Spring Boot 3.5 application. */
class SpringBoot35JarIT {

    @Test
    void exampleJarCarriesSpringBoot35AndTheStartersBoot3Support() throws IOException {
        try (JarFile jar = new JarFile(LaunchedJvm.exampleJar().toFile())) {
            List<String> libraries = jar.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.startsWith("BOOT-INF/lib/"))
                    .toList();
            assertThat(libraries)
                    .anyMatch(name -> name.matches("BOOT-INF/lib/spring-boot-3\\.5\\.\\d+\\.jar"))
                    .noneMatch(name -> name.matches("BOOT-INF/lib/spring-boot-4\\..*"))
                    .anyMatch(name -> name.startsWith("BOOT-INF/lib/single-instance-spring-boot3-support-"));
        }
    }
}
