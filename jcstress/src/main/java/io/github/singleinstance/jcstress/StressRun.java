package io.github.singleinstance.jcstress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs jcstress ({@code org.openjdk.jcstress.Main} with the given arguments) and turns its verdict into an exit code,
 * which jcstress itself does not: it exits 0 with failed tests, and even when no test matched. This exits 1 unless
 * every test listed in {@code META-INF/TestList} ran and none failed, errored or showed an interesting outcome.
 */
public final class StressRun {

    private static final Pattern REMAINING = Pattern.compile("All remaining tests: (\\d+) matching test results");

    private StressRun() {}

    public static void main(String[] args) throws Exception {
        int expected = listedTests();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
        try {
            org.openjdk.jcstress.Main.main(args);
        } finally {
            System.out.flush();
            System.setOut(console);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        String problem = verdict(output, expected);
        if (problem != null) {
            System.err.println("jcstress: " + problem);
            System.exit(1);
        }
        System.out.println("jcstress: all " + expected + " tests passed");
    }

    /** Why the run failed, or null if it passed. */
    static String verdict(String output, int expected) {
        if (!output.contains("RUN RESULTS:")) {
            return "no run results in the output (no test matched, or jcstress failed to start)";
        }
        for (String group : new String[] {"Interesting tests", "Failed tests", "Error tests"}) {
            if (!output.contains(group + ": No matches.")) {
                return group.toLowerCase() + " found (see the output above and the HTML report)";
            }
        }
        Matcher remaining = REMAINING.matcher(output);
        if (!remaining.find()) {
            return "no test results in the output";
        }
        int ran = Integer.parseInt(remaining.group(1));
        return ran == expected ? null : ran + " tests ran, " + expected + " expected";
    }

    private static int listedTests() throws IOException {
        try (InputStream list = StressRun.class.getResourceAsStream("/META-INF/TestList")) {
            if (list == null) {
                throw new IllegalStateException("no META-INF/TestList: was the jcstress annotation processor run?");
            }
            return (int) new String(list.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank())
                    .count();
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
