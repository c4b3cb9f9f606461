/**
 * Spring Boot integration: {@link io.github.singleinstance.spring.SingleInstance @SingleInstance} on the
 * {@code @SpringBootApplication} class makes the application single-instance; forwarded launches arrive as
 * {@link io.github.singleinstance.spring.LaunchEvent}s.
 */
@NullMarked
package io.github.singleinstance.spring;

import org.jspecify.annotations.NullMarked;
