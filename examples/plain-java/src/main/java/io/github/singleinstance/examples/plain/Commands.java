package io.github.singleinstance.examples.plain;

import io.github.singleinstance.Launch;
import io.github.singleinstance.LaunchCancelledException;
import io.github.singleinstance.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The example's commands that use the second launch's terminal: --cat, --lines, --env, --exit. */
final class Commands {

    private Commands() {}

    /** The reply to a command, or empty if {@code launch} is no command. */
    static Optional<Reply> run(Launch launch) {
        List<String> args = launch.args();
        if (args.isEmpty()) {
            return Optional.empty();
        }
        return switch (args.get(0)) {
            case "--cat" -> Optional.of(cat(launch));
            case "--lines" -> Optional.of(lines(launch, args));
            case "--env" -> Optional.of(environment(launch, args));
            case "--exit" -> Optional.of(exit(args));
            default -> Optional.empty();
        };
    }

    private static Reply cat(Launch launch) {
        try {
            launch.in().transferTo(launch.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Reply.ok();
    }

    private static Reply lines(Launch launch, List<String> args) {
        int count = Integer.parseInt(argument(args, 1, "--lines N"));
        long every = args.size() > 3 && args.get(2).equals("--every") ? Long.parseLong(args.get(3)) : 0;
        int line = 0;
        try {
            while (line < count) {
                if (launch.isCancelled()) {
                    throw new LaunchCancelledException("cancelled");
                }
                line++;
                launch.out().println("line " + line);
                if (every > 0) {
                    Thread.sleep(every);
                }
            }
        } catch (LaunchCancelledException e) {
            System.out.println("cancelled at " + line);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.failure(75, "interrupted");
        }
        launch.err().println("done " + count);
        return Reply.ok();
    }

    private static Reply environment(Launch launch, List<String> args) {
        String name = argument(args, 1, "--env NAME");
        String value = launch.environment().get(name);
        if (value == null) {
            return Reply.failure(1, name + " is not set");
        }
        launch.out().println(value);
        return Reply.ok();
    }

    private static Reply exit(List<String> args) {
        int code = Integer.parseInt(argument(args, 1, "--exit N"));
        return new Reply(code, "exit " + code);
    }

    private static String argument(List<String> args, int index, String usage) {
        if (args.size() <= index) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return args.get(index);
    }
}
