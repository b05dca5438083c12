package ai.higress;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the gateway takes from its process environment rather than from configuration.
 *
 * @param apiKey     {@code HIGRESS_API_KEY}: an extra static client key
 * @param adminToken {@code HIGRESS_ADMIN_TOKEN}: the admin API's break-glass token
 * @param secretKey  {@code SECRET_KEY}: the server secret (generated under {@code dataDir} when absent and the
 *                   database is the embedded one)
 * @param dataDir    where the embedded database and generated secret live ({@code ./data})
 */
public record GatewayEnvironment(Optional<String> apiKey, Optional<String> adminToken, Optional<String> secretKey,
                                 Path dataDir) {

    public GatewayEnvironment {
        apiKey = apiKey.filter(value -> !value.isBlank()).map(String::strip);
        adminToken = adminToken.filter(value -> !value.isBlank()).map(String::strip);
        secretKey = secretKey.filter(value -> !value.isBlank()).map(String::strip);
    }

    /** The real process environment. */
    public static GatewayEnvironment fromProcess() {
        return new GatewayEnvironment(Optional.ofNullable(System.getenv("HIGRESS_API_KEY")),
                Optional.ofNullable(System.getenv("HIGRESS_ADMIN_TOKEN")),
                Optional.ofNullable(System.getenv("SECRET_KEY")), Path.of("data"));
    }
}
