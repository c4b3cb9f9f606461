package io.github.singleinstance;

/**
 * The primary is alive but did not answer within the forward timeout: it is frozen (stopped, in a debugger), or its
 * handler is busy. Whether the launch was handled is in {@link #delivered()}. Exit code 75 (EX_TEMPFAIL).
 */
public final class ForwardTimeoutException extends SingleInstanceException {

    private final boolean delivered;

    public ForwardTimeoutException(String message, boolean delivered) {
        super(message, 75);
        this.delivered = delivered;
    }

    /**
     * Whether the primary took the launch before the timeout (its handler has it, the reply was late) or not (it was
     * withdrawn and will never be handled).
     */
    public boolean delivered() {
        return delivered;
    }
}
