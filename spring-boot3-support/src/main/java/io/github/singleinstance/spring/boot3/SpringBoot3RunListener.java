package io.github.singleinstance.spring.boot3;

import org.springframework.boot.ConfigurableBootstrapContext;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Spring Boot 3.5's signatures of the two run-listener hooks that take a bootstrap context; the starter's
 * {@code SingleInstanceRunListener} extends this class and adds Spring Boot 4's. Each Boot line calls only its own
 * pair: Boot 4 moved {@code ConfigurableBootstrapContext} to {@code org.springframework.boot.bootstrap}, and nothing
 * resolves the parameter type of a method that is never called, so the class loads on both lines.
 *
 * <p>Compiled against Spring Boot 3.5 (see this module's POM). Not an API: public only for the starter.
 */
public abstract class SpringBoot3RunListener implements SpringApplicationRunListener {

    /** Spring Boot 3.5's {@code starting}: {@link #claim()}. */
    @Override
    public final void starting(ConfigurableBootstrapContext bootstrapContext) {
        claim();
    }

    /** Spring Boot 3.5's {@code environmentPrepared}: {@link #environmentPrepared(ConfigurableEnvironment)}. */
    @Override
    public final void environmentPrepared(
            ConfigurableBootstrapContext bootstrapContext, ConfigurableEnvironment environment) {
        environmentPrepared(environment);
    }

    /** The {@code starting} hook, whichever Boot line called it. */
    protected abstract void claim();

    /** The {@code environmentPrepared} hook, whichever Boot line called it. */
    protected abstract void environmentPrepared(ConfigurableEnvironment environment);
}
