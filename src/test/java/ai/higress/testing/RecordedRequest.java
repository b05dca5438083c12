package ai.higress.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One request as {@link ScriptedUpstream} received it.
 *
 * @param method  request method, e.g. {@code POST}
 * @param path    request target as sent, including the query string, e.g. {@code /v1/chat/completions?x=1}
 * @param headers header values by lower-case name, in arrival order (repeated headers keep every value)
 * @param body    the body after removing any chunked transfer encoding (empty if none)
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                .addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A copy of the body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The first value of the header (case-insensitive name). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON; throws {@link AssertionError} if it is not JSON. */
    public JsonNode json() {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new AssertionError("request body is empty, expected JSON: " + this);
            }
            return node;
        } catch (IOException e) {
            throw new AssertionError("request body is not JSON: " + bodyText(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedRequest r && method.equals(r.method) && path.equals(r.path)
                && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        String text = bodyText();
        if (text.length() > 2000) {
            text = text.substring(0, 2000) + "...(" + body.length + " bytes)";
        }
        return method + " " + path + " " + headers + " body=" + text;
    }
}
