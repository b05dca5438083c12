package ai.higress.storage;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An upstream provider as stored (the {@code providers} table). Enumerated settings are kept as their config
 * spellings ({@code openai}, {@code bearer}, ...) and interpreted by the config layer, so storage never needs to
 * change when a preset is added.
 *
 * @param id             provider id
 * @param type           wire protocol, e.g. {@code openai}
 * @param preset         vendor preset, e.g. {@code deepseek}
 * @param baseUrl        URL request paths are appended to
 * @param authStyle      how a credential is sent, e.g. {@code bearer}
 * @param pathStyle      how paths are formed, e.g. {@code standard}
 * @param apiVersion     Azure's {@code api-version} or Anthropic's {@code anthropic-version} (empty otherwise)
 * @param headers        extra static headers sent upstream
 * @param capabilities   what the provider's models can do, as JSON
 * @param maxConcurrency most requests in flight
 * @param streamUsage    ask for usage on streams
 * @param timeouts       timeout overrides, as JSON
 * @param defaultMaxTokens output limit sent when the client sets none (protocols that require one)
 * @param status         active or disabled
 * @param source         configuration file or admin API
 */
public record Provider(String id, String type, String preset, String baseUrl, String authStyle, String pathStyle,
                       String apiVersion, Map<String, String> headers, JsonNode capabilities, int maxConcurrency,
                       boolean streamUsage, JsonNode timeouts, int defaultMaxTokens, Status status,
                       Source source) {
    public Provider {
        headers = Map.copyOf(headers);
    }
}
