package io.github.singleinstance.spring.boot3;

import io.github.singleinstance.PrimaryInstance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Actuator's health and info show of the claim on every Boot line: role, id, pid and launches received. Here,
 * beside the Boot 3.5 health indicator, so that both lines' contributions share it. Not an API.
 */
public final class InstanceDetails {

    private InstanceDetails() {}

    public static Map<String, Object> of(PrimaryInstance primary) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", "primary");
        details.put("id", primary.id());
        details.put("pid", ProcessHandle.current().pid());
        details.put("launchesReceived", primary.launchesReceived());
        return details;
    }
}
