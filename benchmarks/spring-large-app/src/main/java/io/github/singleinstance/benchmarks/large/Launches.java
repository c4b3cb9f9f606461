package io.github.singleinstance.benchmarks.large;

import io.github.singleinstance.Reply;
import io.github.singleinstance.spring.LaunchEvent;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Later launches: {@code java -jar spring-large-app.jar [prefix...]} is answered with the number of owners, and for
 * each prefix given how many owners' last names start with it, read from the database.
 */
@Component
class Launches {

    private final OwnerRepository owners;

    Launches(OwnerRepository owners) {
        this.owners = owners;
    }

    @EventListener
    void launched(LaunchEvent launch) {
        StringBuilder reply = new StringBuilder("owners: ").append(owners.count());
        List<String> prefixes = launch.getApplicationArguments().getNonOptionArgs();
        for (String prefix : prefixes) {
            reply.append(", ")
                    .append(owners.countByLastNameStartingWithIgnoreCase(prefix))
                    .append(" named ")
                    .append(prefix)
                    .append('*');
        }
        reply.append(" in the running instance, pid ")
                .append(ProcessHandle.current().pid());
        launch.reply(Reply.ok(reply.toString()));
    }
}
