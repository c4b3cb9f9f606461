package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.wire.InstanceKey;
import io.github.singleinstance.testing.Backends;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testing.TestApp;
import io.github.singleinstance.testsupport.TestJvm;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Scope#SESSION} end to end: launches in one login session meet one primary, a launch in another session
 * becomes a primary of its own, and {@link Scope#USER} pays no attention to the session. The session is given to each
 * child as {@code XDG_SESSION_ID}, which the library reads before the kernel's audit session.
 */
@Timeout(240)
class SessionScopeProcessTest extends ProcessTestSupport {

    @Test
    void launchesInOneSessionShareAPrimaryAndAnotherSessionGetsItsOwn() {
        TestJvm first = launchInSession(Scope.SESSION, "41", "first");
        first.awaitLine("PRIMARY", STARTUP);
        assertThat(Files.exists(objectPath(sessionKey("41").claimName())))
                .as("the claim is named for the session")
                .isTrue();

        TestJvm sameSession = launchInSession(Scope.SESSION, "41", "same-session");
        assertThat(sameSession.awaitExit(EXIT)).as(sameSession.describe()).isZero();
        assertThat(sameSession.stdout()).isEqualTo("handled [\"same-session\"]\n");

        TestJvm otherSession = launchInSession(Scope.SESSION, "42", "other-session");
        assertThat(otherSession.awaitLine("PRIMARY", STARTUP))
                .as("a launch in another session is a primary of its own")
                .startsWith("PRIMARY " + otherSession.pid());

        TestJvm backInTheFirst = launchInSession(Scope.SESSION, "41", "back");
        assertThat(backInTheFirst.awaitExit(EXIT)).as(backInTheFirst.describe()).isZero();
        assertThat(first.awaitLine("LAUNCH [\"back\"]", STARTUP)).contains("pid=" + backInTheFirst.pid());
        assertThat(otherSession.stdout()).doesNotContain("back");
    }

    @Test
    void userScopeMeetsOnePrimaryAcrossSessions() {
        TestJvm first = launchInSession(Scope.USER, "41", "first");
        first.awaitLine("PRIMARY", STARTUP);

        TestJvm otherSession = launchInSession(Scope.USER, "42", "other-session");
        assertThat(otherSession.awaitExit(EXIT)).as(otherSession.describe()).isZero();
        assertThat(otherSession.stdout()).isEqualTo("handled [\"other-session\"]\n");
    }

    private TestJvm launchInSession(Scope scope, String session, String... args) {
        TestJvm child = Jvm.start(
                dir, id, Map.of("XDG_SESSION_ID", session), List.of("-Dtest.scope=" + scope), TestApp.class, args);
        children.add(child);
        return child;
    }

    private InstanceKey sessionKey(String session) {
        return InstanceKey.of(id, Scope.SESSION, Backends.current().userTag(), session);
    }
}
