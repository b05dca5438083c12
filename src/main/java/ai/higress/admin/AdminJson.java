package ai.higress.admin;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import ai.higress.config.ConfigException;
import ai.higress.error.GatewayException;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** Reads admin request bodies field by field, turning every problem into a 400 that names the field. */
final class AdminJson {
    private final ObjectNode body;

    private AdminJson(ObjectNode body) {
        this.body = body;
    }

    static AdminJson parse(byte[] bytes) {
        try {
            JsonNode node = bytes.length == 0 ? Json.object() : Json.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw GatewayException.invalidRequest("The request body must be a JSON object.", null);
            }
            return new AdminJson((ObjectNode) node);
        } catch (IOException e) {
            throw GatewayException.invalidRequest("The request body is not valid JSON.", null);
        }
    }

    ObjectNode raw() {
        return body;
    }

    boolean has(String field) {
        return body.has(field) && !body.get(field).isNull();
    }

    String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> GatewayException.invalidRequest(
                "Missing required field '" + field + "'.", field, "missing_required_parameter"));
    }

    Optional<String> optionalString(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = body.get(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(field, "a non-empty string");
        }
        return Optional.of(value.asText().strip());
    }

    Optional<Integer> optionalInt(String field, int min, int max) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = body.get(field);
        if (!value.canConvertToExactIntegral() || value.asLong() < min || value.asLong() > max) {
            throw invalid(field, "an integer between " + min + " and " + max);
        }
        return Optional.of(value.asInt());
    }

    Optional<Boolean> optionalBoolean(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        if (!body.get(field).isBoolean()) {
            throw invalid(field, "a boolean");
        }
        return Optional.of(body.get(field).asBoolean());
    }

    Optional<BigDecimal> optionalMoney(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = body.get(field);
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw invalid(field, "a non-negative number of US dollars");
        }
        return Optional.of(value.decimalValue());
    }

    Optional<Instant> optionalInstant(String field) {
        Optional<String> text = optionalString(field);
        try {
            return text.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw invalid(field, "an ISO-8601 instant such as 2027-01-31T00:00:00Z");
        }
    }

    Optional<List<String>> optionalStrings(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = body.get(field);
        if (!value.isArray()) {
            throw invalid(field, "an array of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw invalid(field, "an array of non-empty strings");
            }
            items.add(item.asText());
        }
        return Optional.of(List.copyOf(items));
    }

    /**
     * Money without trailing zeros: {@code 5}, {@code 0.25}, never {@code 5.00000000} or {@code 1E+1}. Values below a
     * millionth ({@code 1E-7}) are still plain numbers in replies because {@link AdminSupport#send} writes decimals
     * plainly.
     */
    static BigDecimal money(BigDecimal value) {
        return new BigDecimal(value.stripTrailingZeros().toPlainString());
    }

    static GatewayException invalid(String field, String expected) {
        return GatewayException.invalidRequest("Invalid value for '" + field + "': expected " + expected + ".", field,
                "invalid_value");
    }

    /**
     * {@code node} as a Helidon config tree, so that a body shaped like a YAML entry is validated by exactly the code
     * that validates the configuration file (JSON is YAML).
     */
    static Config config(ObjectNode node) {
        return Config.just(ConfigSources.create(Json.text(node), MediaTypes.APPLICATION_X_YAML));
    }

    /**
     * The entry {@code create} reads from {@code entry} (a body shaped like a YAML {@code kind} entry) with the code that
     * reads the configuration file: a configuration problem is a 400 naming the body field (see
     * {@link #invalidConfig}), and a body that cannot be read as such an entry a 400 naming none.
     */
    static <T> T readEntry(ObjectNode entry, String kind, String prefix, String whole, Function<Config, T> create) {
        try {
            return create.apply(config(entry));
        } catch (ConfigException e) {
            throw invalidConfig(e, prefix, whole);
        } catch (io.helidon.config.ConfigException e) {
            throw GatewayException.invalidRequest("The request body cannot be read as a " + kind + " entry: "
                    + e.getMessage(), null);
        }
    }

    /**
     * A configuration problem found in a body as a 400 naming the body field: {@code prefix} (such as
     * {@code providers.acme.}) is removed from the key, the entry's own key (the prefix without its dot) is named
     * {@code whole}, and any other key is already relative to the body.
     */
    static GatewayException invalidConfig(ConfigException e, String prefix, String whole) {
        String param;
        if (e.key().startsWith(prefix)) {
            param = e.key().substring(prefix.length());
        } else if (e.key().equals(prefix.substring(0, prefix.length() - 1))) {
            param = whole;
        } else {
            param = e.key();
        }
        return invalidParam(param, e.problem());
    }

    static GatewayException invalidParam(String param, String problem) {
        return GatewayException.invalidRequest("Invalid value for '" + param + "': " + problem + ".", param,
                "invalid_value");
    }
}
