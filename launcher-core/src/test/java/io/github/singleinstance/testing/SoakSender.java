package io.github.singleinstance.testing;

import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.SingleInstance;

/**
 * Forwards {@code args[0]} launches, one after another, from one process through the public API; prints
 * {@code SENT n} and exits 0 if every one was answered "handled", else prints what went wrong and exits 1.
 */
public final class SoakSender {

    private SoakSender() {}

    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        SingleInstance instance = SingleInstance.builder().build();
        for (int i = 0; i < count; i++) {
            ClaimResult result = instance.claim("soak", Integer.toString(i));
            if (!(result instanceof ClaimResult.Forwarded forwarded)
                    || !forwarded.reply().message().equals("handled")) {
                System.out.println("launch " + i + " got " + result);
                System.exit(1);
            }
        }
        System.out.println("SENT " + count);
    }
}
