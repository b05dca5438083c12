package ai.higress.matrix;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What every pairing says, on both sides: the prompts the clients send and the answers the upstream fixtures give.
 * The fixtures under {@code fixtures/matrix/} are written to these values.
 */
public final class Script {
    public static final String SYSTEM = "Be brief.";
    public static final String HELLO = "Say hello.";
    public static final String ANSWER = "Hello from the matrix!";
    public static final String REASONING = "The user wants a short greeting.";
    public static final String ASK_TOOLS = "What is the weather and the local time in Paris?";
    public static final String ASK_IMAGE = "What is in this picture?";
    public static final long MAX_TOKENS = 256;
    /** The output limit of reasoning requests: Anthropic needs room above the thinking budget. */
    public static final long REASONING_MAX_TOKENS = 4096;
    public static final String STOP = "END";
    /**
     * A text answer's usage: 12 input tokens of which 4 were read from a prompt cache (and, where the upstream reports
     * them, {@link Upstream#cacheWrites()} written to it), 7 output tokens.
     */
    public static Answer.Tokens usage(Upstream upstream) {
        return new Answer.Tokens(12, 4, upstream.cacheWrites(), 7);
    }

    public static final String WEATHER = "get_weather";
    public static final String TIME = "get_time";
    public static final JsonNode WEATHER_ARGS = Wire.tree("{\"city\":\"Paris\"}");
    public static final JsonNode TIME_ARGS = Wire.tree("{\"timezone\":\"Europe/Paris\"}");
    /** What the client answers each tool with. */
    public static final Map<String, String> RESULTS = Map.of(WEATHER, "18 °C and sunny", TIME, "14:05");

    private Script() {
    }

    /** The two tools as name, description and JSON schema of the arguments. */
    public static List<Tool> tools() {
        return List.of(new Tool(WEATHER, "The current weather in a city.", schema("city")),
                new Tool(TIME, "The local time in a time zone.", schema("timezone")));
    }

    /** A tool definition. */
    public record Tool(String name, String description, ObjectNode parameters) {
    }

    private static ObjectNode schema(String property) {
        ObjectNode schema = Wire.object().put("type", "object");
        schema.putObject("properties").putObject(property).put("type", "string");
        schema.putArray("required").add(property);
        return schema;
    }
}
