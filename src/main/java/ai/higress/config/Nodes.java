package ai.higress.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * Reads typed values from Helidon config nodes and turns every mapping problem into this package's
 * {@link ai.higress.config.ConfigException} naming the full key.
 */
final class Nodes {
    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{([^}]*)}");

    private Nodes() {
    }

    static String key(Config node) {
        return node.key().toString();
    }

    static Optional<String> optionalString(Config node) {
        if (!node.exists()) {
            return Optional.empty();
        }
        try {
            String value = node.asString().get().strip();
            if (value.isEmpty()) {
                return Optional.empty();
            }
            var unresolved = UNRESOLVED.matcher(value);
            if (unresolved.find()) {
                throw new ai.higress.config.ConfigException(key(node),
                        "refers to ${" + unresolved.group(1) + "}, which is not set (export it or remove the entry)");
            }
            return Optional.of(value);
        } catch (ConfigException e) {
            throw new ai.higress.config.ConfigException(key(node), "expected a text value");
        }
    }

    static String requiredString(Config node) {
        return optionalString(node).orElseThrow(
                () -> new ai.higress.config.ConfigException(key(node), "is required"));
    }

    static String string(Config node, String defaultValue) {
        return optionalString(node).orElse(defaultValue);
    }

    static int integer(Config node, int defaultValue, int min, int max) {
        if (!node.exists()) {
            return defaultValue;
        }
        int value;
        try {
            value = node.asInt().get();
        } catch (ConfigException e) {
            throw new ai.higress.config.ConfigException(key(node), "expected a whole number");
        }
        if (value < min || value > max) {
            throw new ai.higress.config.ConfigException(key(node),
                    "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static long size(Config node, long defaultValue, long min, long max) {
        if (!node.exists()) {
            return defaultValue;
        }
        long value;
        try {
            value = node.asLong().get();
        } catch (ConfigException e) {
            throw new ai.higress.config.ConfigException(key(node), "expected a number of bytes");
        }
        if (value < min || value > max) {
            throw new ai.higress.config.ConfigException(key(node),
                    "must be between " + min + " and " + max + " bytes, was " + value);
        }
        return value;
    }

    static double ratio(Config node, double defaultValue) {
        if (!node.exists()) {
            return defaultValue;
        }
        double value;
        try {
            value = node.asDouble().get();
        } catch (ConfigException e) {
            throw new ai.higress.config.ConfigException(key(node), "expected a number between 0 and 1");
        }
        if (value < 0 || value > 1) {
            throw new ai.higress.config.ConfigException(key(node), "must be between 0 and 1, was " + value);
        }
        return value;
    }

    static boolean bool(Config node, boolean defaultValue) {
        if (!node.exists()) {
            return defaultValue;
        }
        String value = requiredString(node);
        return switch (value.toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ai.higress.config.ConfigException(key(node), "expected true or false, was '" + value + "'");
        };
    }

    static Duration duration(Config node, Duration defaultValue) {
        Duration value = nonNegativeDuration(node, defaultValue);
        if (value.isZero()) {
            throw new ai.higress.config.ConfigException(key(node), "must be a positive duration, was " + value);
        }
        return value;
    }

    static Duration nonNegativeDuration(Config node, Duration defaultValue) {
        Optional<String> text = optionalString(node);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Duration value;
        try {
            value = Duration.parse(text.get());
        } catch (DateTimeParseException e) {
            throw new ai.higress.config.ConfigException(key(node),
                    "expected an ISO-8601 duration such as PT30S, was '" + text.get() + "'");
        }
        if (value.isNegative()) {
            throw new ai.higress.config.ConfigException(key(node), "must not be negative, was " + text.get());
        }
        return value;
    }

    static Optional<URI> httpUri(Config node) {
        Optional<String> text = optionalString(node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new ai.higress.config.ConfigException(key(node),
                        "expected an absolute http(s) URL, was '" + text.get() + "'");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new ai.higress.config.ConfigException(key(node), "must not contain a query or fragment");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new ai.higress.config.ConfigException(key(node), "is not a valid URL: '" + text.get() + "'");
        }
    }

    static List<String> stringList(Config node) {
        if (!node.exists()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Config item : listItems(node)) {
            values.add(requiredString(item));
        }
        return List.copyOf(values);
    }

    static List<Config> listItems(Config node) {
        if (!node.exists()) {
            return List.of();
        }
        if (node.type() != Config.Type.LIST) {
            throw new ai.higress.config.ConfigException(key(node), "expected a list");
        }
        return node.asNodeList().orElse(List.of());
    }

    /**
     * Children of an object node by name, sorted by name. Helidon's config tree does not keep the order of the file
     * (object members are hashed), so name order is the one stable order there is.
     */
    static Map<String, Config> children(Config node) {
        Map<String, Config> result = new LinkedHashMap<>();
        if (!node.exists()) {
            return result;
        }
        if (node.type() != Config.Type.OBJECT) {
            throw new ai.higress.config.ConfigException(key(node), "expected a map of names to entries");
        }
        List<Config> children = new ArrayList<>(node.asNodeList().orElse(List.of()));
        children.sort(Comparator.comparing(Config::name));
        for (Config child : children) {
            result.put(child.name(), child);
        }
        return result;
    }

    /**
     * Named entries given either as a map ({@code name: {...}}) or as a list of objects with a {@code name} key. The
     * list form exists because Helidon splits map keys at dots, so a model named {@code gpt-4.1} needs it.
     */
    static Map<String, Config> namedEntries(Config node) {
        if (!node.exists() || node.type() != Config.Type.LIST) {
            return children(node);
        }
        Map<String, Config> result = new LinkedHashMap<>();
        for (Config item : listItems(node)) {
            String name = requiredString(item.get("name"));
            if (result.put(name, item) != null) {
                throw new ai.higress.config.ConfigException(key(item.get("name")), "duplicate name '" + name + "'");
            }
        }
        return result;
    }

    static Map<String, String> stringMap(Config node) {
        Map<String, String> result = new LinkedHashMap<>();
        children(node).forEach((name, child) -> result.put(name, requiredString(child)));
        return Map.copyOf(result);
    }

    static <E extends Enum<E>> E enumValue(Config node, Class<E> type, E defaultValue) {
        Optional<String> text = optionalString(node);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String wanted = text.get().replace('-', '_').toUpperCase();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase().replace('_', '-'));
        }
        throw new ai.higress.config.ConfigException(key(node),
                "must be one of " + allowed + ", was '" + text.get() + "'");
    }
}
