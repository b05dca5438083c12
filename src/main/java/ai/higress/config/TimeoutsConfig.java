package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Upstream timeouts.
 *
 * @param connect    establishing the TCP/TLS connection
 * @param firstToken a stream's first event must arrive within this time (time to first token)
 * @param idle       longest silence allowed between two stream events once streaming
 * @param request    total deadline of a non-streaming request, all attempts included
 * @param stream     total deadline of a streaming request, all attempts included
 * @param attempt    deadline of one non-streaming attempt (a stream's attempt is bounded by firstToken)
 */
public record TimeoutsConfig(Duration connect, Duration firstToken, Duration idle, Duration request, Duration stream,
                             Duration attempt) {
    public static final TimeoutsConfig DEFAULTS = new TimeoutsConfig(Duration.ofSeconds(5), Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(600), Duration.ofSeconds(120));

    /** Reads {@code node}, taking each missing key from {@code defaults}. */
    public static TimeoutsConfig create(Config node, TimeoutsConfig defaults) {
        return new TimeoutsConfig(
                Nodes.duration(node.get("connect"), defaults.connect()),
                Nodes.duration(node.get("first-token"), defaults.firstToken()),
                Nodes.duration(node.get("idle"), defaults.idle()),
                Nodes.duration(node.get("request"), defaults.request()),
                Nodes.duration(node.get("stream"), defaults.stream()),
                Nodes.duration(node.get("attempt"), defaults.attempt()));
    }
}
