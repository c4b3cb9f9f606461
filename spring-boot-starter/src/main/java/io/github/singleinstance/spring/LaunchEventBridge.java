package io.github.singleinstance.spring;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Connects the claim's {@link LaunchRelay} to this context: from {@link ApplicationReadyEvent} (after the
 * application's own ready listeners) until {@link ContextClosedEvent}, launches are published here.
 *
 * <p>Called by Spring on the threads that publish those events.
 */
final class LaunchEventBridge implements ApplicationListener<ApplicationEvent>, ApplicationContextAware, Ordered {

    private final LaunchRelay relay;
    private ApplicationContext context;

    LaunchEventBridge(LaunchRelay relay) {
        this.relay = relay;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.context = applicationContext;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent ready && ready.getApplicationContext() == context) {
            relay.attach(context);
        } else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
            relay.detach(context);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
