package io.github.singleinstance.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Launch;
import io.github.singleinstance.Reply;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.testsupport.Threads;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

class SingleInstanceAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SingleInstanceAutoConfiguration.class));

    // Version-neutral: the Spring Boot 3.5 tests compile and run this class too. The health indicator's tests are
    // per line (ActuatorContributionsTests here, SpringBoot3ActuatorContributionsTests in spring-boot-3.5-tests).

    @Test
    void withoutClaimOnlyBindsProperties() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(SingleInstanceProperties.class);
            assertThat(context).doesNotHaveBean(LaunchEventBridge.class);
            assertThat(context).doesNotHaveBean("singleInstanceHealthIndicator");
            assertThat(context).doesNotHaveBean(InfoContributor.class);
        });
    }

    @Test
    void bindsProperties() {
        contextRunner
                .withPropertyValues(
                        "single-instance.enabled=false",
                        "single-instance.id=com.example.viewer",
                        "single-instance.scope=session",
                        "single-instance.forward-timeout=2s",
                        "single-instance.ring-capacity=65536",
                        "single-instance.startup-reply-timeout=1500ms")
                .run(context -> {
                    SingleInstanceProperties properties = context.getBean(SingleInstanceProperties.class);
                    assertThat(properties.isEnabled()).isFalse();
                    assertThat(properties.getId()).isEqualTo("com.example.viewer");
                    assertThat(properties.getScope()).isEqualTo(Scope.SESSION);
                    assertThat(properties.getForwardTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.getRingCapacity()).isEqualTo(65536);
                    assertThat(properties.getStartupReplyTimeout()).isEqualTo(Duration.ofMillis(1500));
                });
    }

    @Test
    void propertyDefaultsAreTheCoresDefaults() {
        SingleInstanceProperties defaults = new SingleInstanceProperties();
        assertThat(defaults.getForwardTimeout()).isEqualTo(SingleInstance.DEFAULT_FORWARD_TIMEOUT);
        assertThat(defaults.getRingCapacity()).isEqualTo(SingleInstance.DEFAULT_RING_CAPACITY);
        assertThat(defaults.getStartupReplyTimeout()).isEqualTo(EarlySettings.DEFAULT_STARTUP_REPLY_TIMEOUT);
    }

    @Test
    void launchWaitingForStartupIsPublishedOnceReadyAndGetsTheListenersReply() {
        LaunchRelay relay = relay(Duration.ofSeconds(30));
        claimed(relay).withUserConfiguration(ReplyingListener.class).run(context -> {
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            Thread sender = new Thread(() -> reply.complete(handle(relay, "report.txt")), "held-launch");
            sender.start();
            // the launch is in the relay, held: waiting for the context to be ready, not published
            Threads.awaitBlocked(
                    sender,
                    frame -> frame.getClassName().equals(LaunchRelay.class.getName())
                            && frame.getMethodName().equals("handle"),
                    Duration.ofSeconds(10));
            ReplyingListener listener = context.getBean(ReplyingListener.class);
            assertThat(listener.events).as("not published before ready").isEmpty();
            assertThat(reply).as("not answered before ready").isNotDone();

            ready(context);

            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(Reply.ok("opened [report.txt] in /work"));
            assertThat(listener.events).singleElement().satisfies(event -> {
                assertThat(event.isReplyExpected()).isTrue();
                assertThat(event.getSenderPid()).isEqualTo(4242);
                assertThat(event.getWorkingDirectory()).isEqualTo(Path.of("/work"));
                assertThat(event.resolve("report.txt")).isEqualTo(Path.of("/work/report.txt"));
                assertThat(event.getApplicationArguments().getNonOptionArgs()).containsExactly("report.txt");
            });
        });
    }

    @Test
    void launchHeldPastTheStartupReplyTimeoutIsAnsweredThenPublishedInOrderWhenReady() {
        LaunchRelay relay = relay(Duration.ofMillis(1));
        claimed(relay).withUserConfiguration(ReplyingListener.class).run(context -> {
            Reply first = handle(relay, "one");
            Reply second = handle(relay, "--mode=fast", "two");
            assertThat(first.exitCode()).isEqualTo(LaunchEvent.HELD_REPLY_CODE);
            assertThat(first.message()).contains("still starting");
            assertThat(second.message()).contains("still starting");
            ReplyingListener listener = context.getBean(ReplyingListener.class);
            assertThat(listener.events).isEmpty();

            ready(context);

            assertThat(listener.events)
                    .extracting(LaunchEvent::getArgs)
                    .containsExactly(List.of("one"), List.of("--mode=fast", "two"));
            assertThat(listener.events).noneMatch(LaunchEvent::isReplyExpected);
            assertThat(listener.events.get(1).getApplicationArguments().getOptionValues("mode"))
                    .containsExactly("fast");
        });
    }

    @Test
    void launchWithoutReplyingListenerGetsTheDefaultReply() {
        LaunchRelay relay = relay(Duration.ofSeconds(30));
        claimed(relay).run(context -> {
            ready(context);
            assertThat(handle(relay, "x")).isEqualTo(LaunchEvent.DEFAULT_REPLY).isEqualTo(Reply.ok());
        });
    }

    @Test
    void listenerFailurePropagatesToTheCoreWhichAnswersWithExitCode70() {
        LaunchRelay relay = relay(Duration.ofSeconds(30));
        claimed(relay).withUserConfiguration(FailingListener.class).run(context -> {
            ready(context);
            assertThatThrownBy(() -> relay.handle(launch("x"))).hasMessageContaining("cannot open x");
        });
    }

    @Test
    void aListenerCanAnswerLaterFromAnotherThreadWhileTheNextLaunchIsPublished() throws Exception {
        LaunchRelay relay = relay(Duration.ofSeconds(30));
        claimed(relay).withUserConfiguration(DeferringListener.class).run(context -> {
            DeferringListener listener = context.getBean(DeferringListener.class);
            ready(context);
            CompletableFuture<Reply> first = relay.handle(launch("slow")).toCompletableFuture();
            assertThat(first).as("the listener returned without answering").isNotDone();
            CompletableFuture<Reply> second = relay.handle(launch("next")).toCompletableFuture();
            assertThat(listener.pending).hasSize(2);
            listener.pending.get(1).complete(Reply.ok("next done"));
            assertThat(second.get(5, java.util.concurrent.TimeUnit.SECONDS).message())
                    .isEqualTo("next done");
            assertThat(first).isNotDone();
            listener.pending.get(0).completeExceptionally(new IllegalStateException("slow failed"));
            assertThatThrownBy(() -> first.get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .hasRootCauseMessage("slow failed");
        });
    }

    @Test
    void launchesBetweenTwoContextsOfOneClaimReachTheNextContext() {
        LaunchRelay relay = relay(Duration.ofMillis(1));
        List<String> received = new CopyOnWriteArrayList<>();
        claimed(relay).withUserConfiguration(ReplyingListener.class).run(first -> {
            ready(first);
            handle(relay, "before-restart");
            received.addAll(first.getBean(ReplyingListener.class).args());
        });
        assertThat(handle(relay, "during-restart").message()).contains("still starting");
        claimed(relay).withUserConfiguration(ReplyingListener.class).run(second -> {
            ready(second);
            assertThat(handle(relay, "after-restart").message()).isEqualTo("opened [after-restart] in /work");
            received.addAll(second.getBean(ReplyingListener.class).args());
        });
        assertThat(received).containsExactly("before-restart", "during-restart", "after-restart");
    }

    @Test
    void closedRelayAnswersUnavailableAndClosesThePrimaryOnce() {
        FakePrimaryInstance primary = new FakePrimaryInstance();
        int[] closes = new int[1];
        LaunchRelay relay = new LaunchRelay(primary, Duration.ofSeconds(30), () -> closes[0]++);
        relay.close();
        relay.close();
        assertThat(primary.closed).isTrue();
        assertThat(closes[0]).isEqualTo(1);
        assertThat(handle(relay, "late").exitCode()).isEqualTo(LaunchRelay.EX_UNAVAILABLE);
    }

    @Test
    void primaryContextGetsOneBridge() {
        claimed(relay(Duration.ofSeconds(30)))
                .run(context -> assertThat(context).hasSingleBean(LaunchEventBridge.class));
    }

    private ApplicationContextRunner claimed(LaunchRelay relay) {
        return claimed(contextRunner, relay);
    }

    /** {@code runner} with {@code relay}'s claim registered as the run listener registers it. */
    static ApplicationContextRunner claimed(ApplicationContextRunner runner, LaunchRelay relay) {
        return runner.withInitializer(context -> {
            context.getBeanFactory()
                    .registerSingleton(SingleInstanceStartupListener.PRIMARY_INSTANCE_BEAN_NAME, relay.primary());
            context.getBeanFactory().registerSingleton(SingleInstanceStartupListener.RELAY_BEAN_NAME, relay);
        });
    }

    static LaunchRelay relay(Duration startupReplyTimeout) {
        return new LaunchRelay(new FakePrimaryInstance(), startupReplyTimeout, () -> {});
    }

    private static void ready(AssertableApplicationContext context) {
        ConfigurableApplicationContext source = context.getSourceApplicationContext();
        source.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], source, Duration.ZERO));
    }

    private static Launch launch(String... args) {
        return new Launch(List.of(args), Path.of("/work"), 4242, Instant.now(), new byte[0]);
    }

    private static Reply handle(LaunchRelay relay, String... args) {
        try {
            return relay.handle(launch(args)).toCompletableFuture().join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DeferringListener {

        final List<CompletableFuture<Reply>> pending = new CopyOnWriteArrayList<>();

        @EventListener
        void onLaunch(LaunchEvent event) {
            pending.add(event.replyLater());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ReplyingListener {

        final List<LaunchEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void onLaunch(LaunchEvent event) {
            events.add(event);
            event.reply(Reply.ok("opened " + event.getArgs() + " in " + event.getWorkingDirectory()));
        }

        List<String> args() {
            return events.stream()
                    .map(event -> String.join(" ", event.getArgs()))
                    .toList();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingListener {

        @EventListener
        void onLaunch(LaunchEvent event) {
            throw new IllegalStateException("cannot open " + String.join(" ", event.getArgs()));
        }
    }
}
