package io.github.singleinstance.spring;

import io.github.singleinstance.LaunchHandler;
import io.github.singleinstance.PrimaryInstance;
import java.util.concurrent.atomic.AtomicBoolean;

/** A primary instance without a channel, for tests that drive the relay directly. */
final class FakePrimaryInstance implements PrimaryInstance {

    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public String id() {
        return "test-app";
    }

    @Override
    public void onLaunch(LaunchHandler handler) {}

    @Override
    public void onLaunchAsync(io.github.singleinstance.AsyncLaunchHandler handler) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void onReplace(Runnable action) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public long launchesReceived() {
        return 7;
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
