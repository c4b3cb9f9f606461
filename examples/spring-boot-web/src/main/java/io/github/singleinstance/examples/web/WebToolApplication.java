package io.github.singleinstance.examples.web;

import io.github.singleinstance.spring.SingleInstance;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application launched like a local tool: {@code java -jar spring-boot-web.jar report.txt}. The first launch
 * serves a page listing every launch; later launches hand their file to it and exit. See {@link Launches}.
 */
@SingleInstance(id = "io.github.singleinstance.examples.web")
@SpringBootApplication
public class WebToolApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebToolApplication.class, args);
    }
}
