package ai.higress.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatRequestParserTest {
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]";

    @Test
    void minimalRequest() {
        ChatRequest request = parse("{\"model\":\"gpt-5-nano\"," + MESSAGES + "}");
        assertEquals("gpt-5-nano", request.model());
        assertFalse(request.stream());
        assertFalse(request.includeUsage());
        assertEquals(new RequestFeatures(false, false, false, false), needs(request.features()));
        assertEquals(Json.MAPPER.createObjectNode().put("model", "gpt-5-nano")
                .set("messages", Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                        .put("role", "user").put("content", "Hello!"))), request.body());
    }

    @Test
    void streamWithoutUsage() {
        ChatRequest request = parse("{\"model\":\"m\",\"stream\":true," + MESSAGES + "}");
        assertTrue(request.stream());
        assertFalse(request.includeUsage());
        assertEquals(new RequestFeatures(false, false, false, true), needs(request.features()));
    }

    @Test
    void streamWithIncludeUsage() {
        ChatRequest request = parse(fixture("chat-streaming-detailed-usage.request.json"));
        assertEquals("gpt-5-nano", request.model());
        assertTrue(request.stream());
        assertTrue(request.includeUsage());
        assertFalse(parse("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
                + MESSAGES + "}").includeUsage());
        assertFalse(parse("{\"model\":\"m\",\"stream\":true,\"stream_options\":{}," + MESSAGES + "}")
                .includeUsage());
    }

    @Test
    void toolsAreAFeature() {
        ChatRequest request = parse(fixture("chat-tools.request.json"));
        assertEquals(new RequestFeatures(true, false, false, false), needs(request.features()));
        assertEquals(new RequestFeatures(true, false, false, false), needs(parse("{\"model\":\"m\",\"functions\":"
                + "[{\"name\":\"f\",\"parameters\":{}}]," + MESSAGES + "}").features()));
        // an empty tools array asks for nothing
        assertFalse(parse("{\"model\":\"m\",\"tools\":[]," + MESSAGES + "}").features().tools());
    }

    @Test
    void anImagePartIsVision() {
        ChatRequest request = parse(fixture("chat-image-to-text.request.json"));
        assertEquals(new RequestFeatures(false, true, false, false), needs(request.features()));
        assertFalse(parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"image_url\"}]}]}").features().vision());
    }

    @Test
    void responseFormatJsonIsJsonMode() {
        assertEquals(new RequestFeatures(false, false, true, false),
                needs(parse(fixture("chat-json-mode.request.json")).features()));
        assertTrue(parse("{\"model\":\"m\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"name\":\"x\",\"schema\":{}}}," + MESSAGES + "}").features().jsonMode());
        assertFalse(parse("{\"model\":\"m\",\"response_format\":{\"type\":\"text\"}," + MESSAGES + "}")
                .features().jsonMode());
    }

    @Test
    void unknownVendorParametersPassThroughUntouched() {
        String body = "{\"model\":\"m\"," + MESSAGES + ",\"top_k\":40,\"repetition_penalty\":1.1,"
                + "\"x_vendor\":{\"nested\":[1,\"two\",null,{\"deep\":true}]},\"safe_prompt\":\"yes\","
                + "\"big\":123456789012345678901234567890}";
        ChatRequest request = parse(body);
        JsonNode parsed = request.body();
        assertEquals(40, parsed.get("top_k").intValue());
        assertEquals("{\"nested\":[1,\"two\",null,{\"deep\":true}]}", Json.text(parsed.get("x_vendor")));
        assertEquals("yes", parsed.get("safe_prompt").textValue());
        assertEquals("123456789012345678901234567890", parsed.get("big").bigIntegerValue().toString());
        assertEquals(body, Json.text(parsed), "every field kept, in order");
    }

    @Test
    void nullOptionalParametersAreAccepted() {
        ChatRequest request = parse("{\"model\":\"m\"," + MESSAGES + ",\"temperature\":null,\"top_p\":null,"
                + "\"n\":null,\"max_tokens\":null,\"stream\":null,\"stream_options\":null,\"stop\":null,"
                + "\"tools\":null,\"tool_choice\":null,\"response_format\":null,\"seed\":null,\"user\":null,"
                + "\"logprobs\":null,\"logit_bias\":null,\"metadata\":null,\"store\":null}");
        assertFalse(request.stream());
        assertFalse(request.includeUsage());
        assertEquals(new RequestFeatures(false, false, false, false), needs(request.features()));
        assertTrue(request.body().get("temperature").isNull(), "nulls are kept as sent");
        assertFalse(parse("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":null},"
                + MESSAGES + "}").includeUsage());
        // a message may have null content (an assistant turn that only called tools)
        parse("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[]}]}");
    }

    @Test
    void validParameterShapesAreAccepted() {
        ChatRequest request = parse("{\"model\":\"m\"," + MESSAGES + ",\"temperature\":1,\"top_p\":0.5,\"n\":2,"
                + "\"max_tokens\":10,\"max_completion_tokens\":2.0,\"stop\":\"END\",\"tool_choice\":"
                + "{\"type\":\"function\",\"function\":{\"name\":\"f\"}},\"seed\":-7,\"logprobs\":true,"
                + "\"top_logprobs\":3,\"parallel_tool_calls\":false,\"user\":\"u\",\"metadata\":{},\"store\":false,"
                + "\"modalities\":[\"text\"],\"reasoning_effort\":\"low\",\"service_tier\":\"auto\"}");
        assertEquals("m", request.model());
        parse("{\"model\":\"m\"," + MESSAGES + ",\"stop\":[\"a\",\"b\"],\"tool_choice\":\"none\"}");
        for (String role : new String[] {"system", "developer", "user", "assistant", "tool", "function"}) {
            parse("{\"model\":\"m\",\"messages\":[{\"role\":\"" + role + "\",\"content\":\"x\"}]}");
        }
    }

    @Test
    void missingModel() {
        assertInvalid("{" + MESSAGES + "}", "model", null, "You must provide a model parameter.");
        assertInvalid("{\"model\":null," + MESSAGES + "}", "model", null, "You must provide a model parameter.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "[\"m\"]", "{\"id\":\"m\"}", "\"\"", "\"  \""})
    void modelThatIsNotANonEmptyString(String model) {
        assertInvalid("{\"model\":" + model + "," + MESSAGES + "}", "model", "invalid_type",
                "Invalid type for 'model': expected a non-empty string.");
    }

    @Test
    void missingMessages() {
        assertInvalid("{\"model\":\"m\"}", "messages", "missing_required_parameter",
                "Missing required parameter: 'messages'.");
        assertInvalid("{\"model\":\"m\",\"messages\":null}", "messages", "missing_required_parameter",
                "Missing required parameter: 'messages'.");
    }

    @Test
    void messagesNotAnArray() {
        assertInvalid("{\"model\":\"m\",\"messages\":{\"role\":\"user\"}}", "messages", "invalid_type",
                "Invalid type for 'messages': expected an array, but got an object.");
        assertInvalid("{\"model\":\"m\",\"messages\":\"hi\"}", "messages", "invalid_type",
                "Invalid type for 'messages': expected an array, but got a string.");
    }

    @Test
    void emptyMessages() {
        assertInvalid("{\"model\":\"m\",\"messages\":[]}", "messages", "empty_array",
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array "
                        + "instead.");
    }

    @Test
    void messageThatIsNotAnObject() {
        assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},\"hi\"]}", "messages[1]",
                "invalid_type", "Invalid type for 'messages[1]': expected an object, but got a string.");
        assertInvalid("{\"model\":\"m\",\"messages\":[null]}", "messages[0]", "invalid_type",
                "Invalid type for 'messages[0]': expected an object, but got null.");
    }

    @Test
    void missingRole() {
        assertInvalid("{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}", "messages[0].role",
                "missing_required_parameter", "Missing required parameter: 'messages[0].role'.");
        assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":3}]}",
                "messages[1].role", "missing_required_parameter", "Missing required parameter: 'messages[1].role'.");
    }

    @Test
    void unknownRole() {
        assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "messages[0].role",
                "invalid_value", "Invalid value: 'robot'. Supported values are: 'system', 'developer', 'user', "
                        + "'assistant', 'tool' and 'function'.");
        assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"User\",\"content\":\"x\"}]}", "messages[0].role",
                "invalid_value", null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "5|a number",
            "true|a boolean",
            "{\"text\":\"x\"}|an object"})
    void contentOfTheWrongType(String content, String described) {
        assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}",
                "messages[0].content", "invalid_type", "Invalid type for 'messages[0].content': expected a string or "
                        + "an array of content parts, but got " + described + ".");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "temperature|\"hot\"|Invalid type for 'temperature': expected a number, but got a string.",
            "temperature|[1]|Invalid type for 'temperature': expected a number, but got an array.",
            "n|\"2\"|Invalid type for 'n': expected an integer, but got a string.",
            "n|1.5|Invalid type for 'n': expected an integer, but got a number.",
            "max_tokens|\"100\"|Invalid type for 'max_tokens': expected an integer, but got a string.",
            "max_tokens|10.5|Invalid type for 'max_tokens': expected an integer, but got a number.",
            "max_completion_tokens|true|Invalid type for 'max_completion_tokens': expected an integer, but got a"
                    + " boolean.",
            "seed|0.5|Invalid type for 'seed': expected an integer, but got a number.",
            "stream|\"true\"|Invalid type for 'stream': expected a boolean, but got a string.",
            "stream|1|Invalid type for 'stream': expected a boolean, but got a number.",
            "tools|{}|Invalid type for 'tools': expected an array, but got an object.",
            "tools|\"f\"|Invalid type for 'tools': expected an array, but got a string.",
            "tool_choice|5|Invalid type for 'tool_choice': expected a string or an object, but got a number.",
            "tool_choice|[]|Invalid type for 'tool_choice': expected a string or an object, but got an array.",
            "stop|5|Invalid type for 'stop': expected a string or an array, but got a number.",
            "stop|{}|Invalid type for 'stop': expected a string or an array, but got an object.",
            "response_format|\"json_object\"|Invalid type for 'response_format': expected an object, but got a"
                    + " string.",
            "stream_options|true|Invalid type for 'stream_options': expected an object, but got a boolean.",
            "logprobs|1|Invalid type for 'logprobs': expected a boolean, but got a number.",
            "user|7|Invalid type for 'user': expected a string, but got a number."})
    void parameterOfTheWrongType(String name, String value, String message) {
        assertInvalid("{\"model\":\"m\"," + MESSAGES + ",\"" + name + "\":" + value + "}", name, "invalid_type",
                message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "0.0", "-4294967295", "-18446744073709551615"})
    void nBelowOne(String n) {
        assertInvalid("{\"model\":\"m\"," + MESSAGES + ",\"n\":" + n + "}", "n", "invalid_value",
                "Invalid value for 'n': must be at least 1.");
    }

    @Test
    void streamOptionsWithoutStream() {
        String message = "The 'stream_options' parameter is only allowed when 'stream' is enabled.";
        assertInvalid("{\"model\":\"m\"," + MESSAGES + ",\"stream_options\":{\"include_usage\":true}}",
                "stream_options", null, message);
        assertInvalid("{\"model\":\"m\"," + MESSAGES + ",\"stream\":false,\"stream_options\":{}}",
                "stream_options", null, message);
        assertInvalid("{\"model\":\"m\"," + MESSAGES + ",\"stream\":null,\"stream_options\":{}}",
                "stream_options", null, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"true\"", "1", "{}"})
    void includeUsageThatIsNotABoolean(String value) {
        assertInvalid("{\"model\":\"m\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":"
                + value + "}}", "stream_options.include_usage", "invalid_type",
                "Invalid type for 'stream_options.include_usage': expected a boolean.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"model\":\"m\",", "{\"model\":\"m\"} trailing", "not json", "{'model':'m'}",
            "{\"model\":\"m\",\"model\":\"n\"," + MESSAGES + "}"})
    void invalidJson(String body) {
        GatewayException failure = assertInvalid(body, null, null, null);
        assertTrue(failure.getMessage().startsWith("We could not parse the JSON body of your request: "),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith(". The API expects a JSON object."), failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"model\":\"m\"}]", "\"text\"", "42", "null", ""})
    void bodyThatIsNotAJsonObject(String body) {
        assertInvalid(body, null, null, "The request body must be a JSON object.");
    }

    @Test
    void theCheckedOrderIsModelThenParametersThenMessages() {
        assertInvalid("{\"n\":\"x\",\"messages\":[]}", "model", null, null);
        assertInvalid("{\"model\":\"m\",\"n\":\"x\",\"messages\":[]}", "n", "invalid_type", null);
    }

    @Test
    void theBodyTreeIsTheParsedObject() {
        ChatRequest request = parse("{\"model\":\"m\"," + MESSAGES + "}");
        assertSame(request.body(), request.body());
        assertEquals("{\"model\":\"m\"," + MESSAGES + "}", Json.text(request.body()));
    }

    @Test
    void reasoningEffortAndTheRequestsSizeAreFeatures() {
        RequestFeatures plain = parse("{\"model\":\"m\"," + MESSAGES + "}").features();
        assertFalse(plain.reasoning());
        assertFalse(plain.embeddings());
        assertEquals(3, plain.promptTokens(), "'user' and 'Hello!': ten characters, a token per four rounded up");
        assertEquals(0, plain.maxOutputTokens(), "no limit: unknown, never held against a context window");

        RequestFeatures sized = parse("{\"model\":\"m\",\"reasoning_effort\":\"low\",\"max_tokens\":100,"
                + MESSAGES + "}").features();
        assertTrue(sized.reasoning());
        assertEquals(100, sized.maxOutputTokens());
        assertEquals(2000, parse("{\"model\":\"m\",\"max_completion_tokens\":2000,\"max_tokens\":100,"
                + MESSAGES + "}").features().maxOutputTokens(), "max_completion_tokens wins over max_tokens");
        assertFalse(parse("{\"model\":\"m\",\"reasoning_effort\":null," + MESSAGES + "}").features().reasoning(),
                "null means the default");
        assertEquals(250, parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(996) + "\"}]}").features().promptTokens(), "996 + 4 characters of 'user'");
    }

    /** The capability flags of {@code features}, without reasoning and sizes (tested on their own). */
    private static RequestFeatures needs(RequestFeatures features) {
        return new RequestFeatures(features.tools(), features.vision(), features.jsonMode(), features.streaming());
    }

    private static ChatRequest parse(String body) {
        return ChatRequestParser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static ChatRequest parse(byte[] body) {
        return ChatRequestParser.parse(body);
    }

    /** Asserts a 400 invalid_request_error with exactly this param and code (null: none); message when not null. */
    private static GatewayException assertInvalid(String body, String param, String code, String message) {
        GatewayException failure = assertThrows(GatewayException.class, () -> parse(body));
        assertEquals(400, failure.status(), failure.getMessage());
        assertEquals(ErrorType.INVALID_REQUEST, failure.type());
        assertEquals(Optional.ofNullable(param), failure.param(), failure.getMessage());
        assertEquals(Optional.ofNullable(code), failure.code(), failure.getMessage());
        if (message != null) {
            assertEquals(message, failure.getMessage());
        }
        return failure;
    }

    private static byte[] fixture(String name) {
        try (InputStream in = ChatRequestParserTest.class.getResourceAsStream("/fixtures/openai/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
