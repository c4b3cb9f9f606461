package io.github.singleinstance.compat;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;

/**
 * The application both builds run (only the public API, so it runs on either): the primary prints
 * {@code PRIMARY <args>} and {@code LAUNCH <args>} per launch, answers {@code handled <args>}; {@code stop} closes it.
 */
public final class CompatApp {

    private CompatApp() {}

    public static void main(String[] args) throws Exception {
        PrimaryInstance primary = SingleInstance.builder()
                .id("io.github.singleinstance.compat")
                .build()
                .claimOrExit(args);
        System.out.println("PRIMARY " + String.join(" ", args));
        System.out.flush();
        Object stop = new Object();
        primary.onLaunch(launch -> {
            System.out.println("LAUNCH " + String.join(" ", launch.args()));
            System.out.flush();
            if (launch.args().contains("stop")) {
                synchronized (stop) {
                    stop.notifyAll();
                }
            }
            return Reply.ok("handled " + String.join(" ", launch.args()));
        });
        synchronized (stop) {
            stop.wait();
        }
        primary.close();
    }
}
