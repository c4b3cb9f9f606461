package io.github.singleinstance.benchmarks.launch;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;
import java.util.concurrent.CountDownLatch;

/**
 * The library alone, as its own jar with only the core, JNA and the SLF4J API (no logging backend): claims, takes
 * launches, prints {@code READY} and waits until a launch with {@code --stop} or a signal. The first launch of this
 * app is the library's cost to a primary without anything an example adds (Logback, its configuration).
 */
public final class LibraryAloneApp {

    private LibraryAloneApp() {}

    public static void main(String[] args) throws InterruptedException {
        PrimaryInstance primary = SingleInstance.builder()
                .id("io.github.singleinstance.benchmarks.alone")
                .build()
                .claimOrExit(args);
        long pid = ProcessHandle.current().pid();
        CountDownLatch stop = new CountDownLatch(1);
        primary.onLaunch(launch -> {
            if (launch.args().contains("--stop")) {
                stop.countDown();
                return Reply.ok("primary " + pid + " is stopping");
            }
            return Reply.ok("primary " + pid + " received " + launch.args() + " from " + launch.workingDirectory());
        });
        System.out.println("READY " + primary.id() + " pid " + pid);
        System.out.flush();
        stop.await();
        primary.close();
    }
}
