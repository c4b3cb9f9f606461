package io.github.singleinstance.benchmarks;

/** The benchmark's side of one mechanism: one request to the peer process and its answer, as often as asked. */
interface Exchange extends AutoCloseable {

    /** A short name for the report. */
    String name();

    /** Sends one request and waits for its answer; throws if the answer is wrong. */
    void roundTrip() throws Exception;

    /** How long the benchmark pauses before each round trip, outside the timing: 0 for back to back. */
    default long pauseNanos() {
        return 0;
    }

    @Override
    void close() throws Exception;
}
