package io.github.singleinstance;

/** What {@link SingleInstance#claim(String...)} found: this process is the primary, or it forwarded its launch. */
public sealed interface ClaimResult permits ClaimResult.Primary, ClaimResult.Forwarded {

    /** This process is the primary. */
    record Primary(PrimaryInstance instance) implements ClaimResult {}

    /** Another process is the primary; it handled this launch and answered with {@code reply}. */
    record Forwarded(Reply reply, long primaryPid) implements ClaimResult {}
}
