package io.github.singleinstance.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The run listener in this JVM: real {@code SpringApplication}s claim with a fresh id each test; a "second launch" is
 * either the core's own client (forwarding to the application) or the listener called against a core primary.
 */
class SingleInstanceStartupListenerTests {

    private String id;

    @BeforeEach
    void freshId() {
        id = "test-" + UUID.randomUUID();
        System.setProperty("single-instance.id", id);
    }

    @AfterEach
    void clearOverrides() {
        System.clearProperty("single-instance.id");
        System.clearProperty("single-instance.enabled");
        System.clearProperty("spring.aot.processing");
    }

    @Test
    void annotatedApplicationBecomesPrimaryAndAnswersForwardedLaunches() {
        try (ConfigurableApplicationContext context = run(AnnotatedApp.class)) {
            PrimaryInstance primary = context.getBean(PrimaryInstance.class);
            assertThat(primary.id()).isEqualTo(id);

            ClaimResult result = forward("report.txt");

            assertThat(result).isInstanceOfSatisfying(ClaimResult.Forwarded.class, forwarded -> {
                assertThat(forwarded.reply()).isEqualTo(Reply.failure(3, "got [report.txt]"));
                assertThat(forwarded.primaryPid())
                        .isEqualTo(ProcessHandle.current().pid());
            });
        }
    }

    @Test
    void secondRunInTheSameJvmReusesTheClaimLikeADevToolsRestart() {
        PrimaryInstance first;
        try (ConfigurableApplicationContext context = run(AnnotatedApp.class)) {
            first = context.getBean(PrimaryInstance.class);
        }
        try (ConfigurableApplicationContext context = run(AnnotatedApp.class)) {
            assertThat(context.getBean(PrimaryInstance.class)).isSameAs(first);
            assertThat(forward("again"))
                    .isInstanceOfSatisfying(
                            ClaimResult.Forwarded.class,
                            forwarded -> assertThat(forwarded.reply().message()).isEqualTo("got [again]"));
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void idSetAsSpringPropertyIsReportedAsTooLateForTheClaim(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AnnotatedApp.class)
                .main(AnnotatedApp.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .run("--single-instance.id=com.example.elsewhere")) {
            assertThat(context.getBean(PrimaryInstance.class).id()).isEqualTo(id);
            assertThat(output)
                    .contains("Primary instance of " + id)
                    .contains("single-instance.id=com.example.elsewhere is read too late for the claim, which used id="
                            + id);
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void directorySetAsSpringPropertyIsReportedAsTooLateForTheClaim(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AnnotatedApp.class)
                .main(AnnotatedApp.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .run("--single-instance.directory=/srv/elsewhere")) {
            assertThat(context.getBean(PrimaryInstance.class).id()).isEqualTo(id);
            assertThat(output)
                    .contains("single-instance.directory=/srv/elsewhere is read too late for the claim")
                    .contains("SINGLE_INSTANCE_DIRECTORY");
        }
    }

    @Test
    void unannotatedMainClassDoesNotClaimAsUnderSpringBootTest() {
        try (ConfigurableApplicationContext context = run(PlainApp.class)) {
            assertThat(context.getBeansOfType(PrimaryInstance.class)).isEmpty();
        }
    }

    @Test
    void aotProcessingDoesNotClaim() {
        System.setProperty("spring.aot.processing", "true");
        try (ConfigurableApplicationContext context = run(AnnotatedApp.class)) {
            assertThat(context.getBeansOfType(PrimaryInstance.class)).isEmpty();
        }
    }

    @Test
    void systemPropertyDisablesTheClaim() {
        System.setProperty("single-instance.enabled", "false");
        try (ConfigurableApplicationContext context = run(AnnotatedApp.class)) {
            assertThat(context.getBeansOfType(PrimaryInstance.class)).isEmpty();
        }
    }

    /** What the fast launcher's copy of the core publishes: counts the adoptions asked and the let-gos. */
    private static final class FakeHandover implements java.util.function.Function<Object, Object[]>, Runnable {
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger letGo = new AtomicInteger();

        @Override
        public Object @Nullable [] apply(Object fileKey) {
            asked.incrementAndGet();
            return null; // another file's: not adopted
        }

        @Override
        public void run() {
            letGo.incrementAndGet();
            System.getProperties().remove(SingleInstanceStartupListener.HANDOVER_PROPERTY, this);
        }
    }

    private FakeHandover publishHandover() {
        FakeHandover handover = new FakeHandover();
        System.getProperties().put(SingleInstanceStartupListener.HANDOVER_PROPERTY, handover);
        return handover;
    }

    @Test
    void theHandoverPropertyIsTheCores() {
        assertThat(SingleInstanceStartupListener.HANDOVER_PROPERTY)
                .isEqualTo(io.github.singleinstance.internal.os.ClaimFiles.HANDOVER_PROPERTY);
    }

    @Test
    void aClaimHandedOverIsLetGoOfWhenTheRunListenerDoesNotClaim() {
        FakeHandover handover = publishHandover();
        try {
            System.setProperty("single-instance.enabled", "false");
            try (ConfigurableApplicationContext context = run(AnnotatedApp.class)) {
                assertThat(context.getBeansOfType(PrimaryInstance.class)).isEmpty();
            }
            assertThat(handover.letGo).hasValue(1);
            assertThat(System.getProperties()).doesNotContainKey(SingleInstanceStartupListener.HANDOVER_PROPERTY);
        } finally {
            System.getProperties().remove(SingleInstanceStartupListener.HANDOVER_PROPERTY);
        }
    }

    @Test
    void aClaimHandedOverForAnotherFileIsLetGoOfOnceTheRunListenerClaimed() {
        FakeHandover handover = publishHandover();
        try {
            try (ConfigurableApplicationContext context = run(AnnotatedApp.class)) {
                assertThat(context.getBean(PrimaryInstance.class).id()).isEqualTo(id);
                assertThat(handover.letGo).hasValue(1);
            }
            assertThat(System.getProperties()).doesNotContainKey(SingleInstanceStartupListener.HANDOVER_PROPERTY);
        } finally {
            System.getProperties().remove(SingleInstanceStartupListener.HANDOVER_PROPERTY);
        }
    }

    @Test
    void secondLaunchPrintsThePrimarysReplyAndExitsWithItsCode() {
        ClaimResult claim =
                io.github.singleinstance.SingleInstance.builder().id(id).build().claim();
        try (PrimaryInstance primary = ((ClaimResult.Primary) claim).instance()) {
            primary.onLaunch(launch -> Reply.failure(2, "usage: app status|stop, not " + launch.args()));
            Launcher launcher = new Launcher(Map.of());

            launcher.start("frobnicate");

            assertThat(launcher.exitCode.get()).isEqualTo(2);
            assertThat(launcher.err()).isEqualTo("usage: app status|stop, not [frobnicate]\n");
            assertThat(launcher.out()).isEmpty();
        }
    }

    @Test
    void launchThatCannotBeDeliveredPrintsWhyAndExitsWithTheExceptionsCode() {
        ClaimResult claim =
                io.github.singleinstance.SingleInstance.builder().id(id).build().claim();
        try (PrimaryInstance primary = ((ClaimResult.Primary) claim).instance()) {
            primary.onLaunch(launch -> Reply.ok());
            Launcher launcher = new Launcher(Map.of());

            launcher.start("bad\uD800x"); // an unpaired surrogate: refused before sending, never altered

            assertThat(launcher.exitCode.get()).isEqualTo(64);
            assertThat(launcher.err()).startsWith(id + ": ").contains("not valid Unicode");
        }
    }

    @Test
    void malformedOverrideExitsWithConfigurationErrorBeforeClaiming() {
        Launcher launcher = new Launcher(Map.of("single-instance.forward-timeout", "soon"));

        launcher.start();

        assertThat(launcher.exitCode.get()).isEqualTo(78);
        assertThat(launcher.err())
                .isEqualTo("single-instance.forward-timeout: 'soon' is not a positive duration; write one like 500ms,"
                        + " 5s, 2m, 1h, 1d or PT5S" + System.lineSeparator());
    }

    private static ConfigurableApplicationContext run(Class<?> mainClass) {
        return new SpringApplicationBuilder(mainClass)
                .main(mainClass)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .run();
    }

    private ClaimResult forward(String... args) {
        return io.github.singleinstance.SingleInstance.builder().id(id).build().claim(args);
    }

    /** The run listener of a second launch of {@link AnnotatedApp}, with captured output and exit. */
    private final class Launcher {
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Map<String, String> properties;

        Launcher(Map<String, String> properties) {
            this.properties = properties;
        }

        void start(String... args) {
            SpringApplication application = new SpringApplication(AnnotatedApp.class);
            application.setMainApplicationClass(AnnotatedApp.class);
            new SingleInstanceStartupListener(
                            this::property,
                            name -> null,
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8),
                            exitCode::set,
                            SpringBootVersion.getVersion())
                    .starting(application, args);
        }

        private @Nullable String property(String name) {
            return name.equals("single-instance.id") ? id : properties.get(name);
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @SingleInstance
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AnnotatedApp {

        @EventListener
        void onLaunch(LaunchEvent event) {
            event.reply(
                    event.getArgs().contains("report.txt")
                            ? Reply.failure(3, "got " + event.getArgs())
                            : Reply.ok("got " + event.getArgs()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class PlainApp {}
}
