package io.github.singleinstance.compat;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;

/**
 * The application both builds run (only the public API, so it runs on either): the primary prints
 * {@code PRIMARY <args>} and {@code LAUNCH <args>} per launch, answers {@code handled <args>}; {@code stop} closes it.
 * {@code status} alone asks for the running primary without sending a launch.
 */
public final class CompatApp {

    private CompatApp() {}

    public static void main(String[] args) throws Exception {
        SingleInstance instance =
                SingleInstance.builder().id("io.github.singleinstance.compat").build();
        if (args.length == 1
                && args[0].equals("status")) { // asks, sends nothing: RUNNING <pid> <version> <state> <since?>
            System.out.println(instance.runningInstance()
                    .map(r -> "RUNNING " + r.pid() + " " + r.protocolVersion() + " " + r.state() + " "
                            + r.since().isPresent())
                    .orElse("NONE"));
            return;
        }
        PrimaryInstance primary = instance.claimOrExit(args);
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
