package ai.higress.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The listening socket. Other keys under {@code server} are passed to Helidon's WebServer as they are (connection
 * options, header limits).
 *
 * @param host          interface to bind
 * @param port          TCP port, 0 for an ephemeral one
 * @param shutdownGrace how long a graceful stop waits for requests in flight
 */
public record ServerConfig(String host, int port, Duration shutdownGrace) {

    static ServerConfig create(Config node) {
        return new ServerConfig(Nodes.string(node.get("host"), "0.0.0.0"),
                Nodes.integer(node.get("port"), 8080, 0, 65535),
                Nodes.duration(node.get("shutdown-grace"), Duration.ofSeconds(10)));
    }
}
