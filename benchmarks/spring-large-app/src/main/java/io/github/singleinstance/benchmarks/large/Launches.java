package io.github.singleinstance.benchmarks.large;

import io.github.singleinstance.Reply;
import io.github.singleinstance.spring.LaunchEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Later launches: {@code java -jar spring-large-app.jar [prefix...]} is answered with the number of owners, and for
 * each prefix given how many owners' last names start with it, read from the database. Logs how long each answer took
 * here (scripts/measure-spring-launch.sh reads it: the first launch into a new primary runs this cold).
 */
@Component
class Launches {

    private static final Logger log = LoggerFactory.getLogger(Launches.class);

    private final OwnerRepository owners;

    Launches(OwnerRepository owners) {
        this.owners = owners;
    }

    @EventListener
    void launched(LaunchEvent launch) {
        long start = System.nanoTime();
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
        log.info("Answered the launch from pid {} in {} us", launch.getSenderPid(), (System.nanoTime() - start) / 1000);
    }
}
