package ai.higress.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.higress.schema.WireProtocol;
import ai.higress.testing.OpenAiSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An OpenAI chat-completions client, as the official SDKs behave: it appends the assistant message as received. */
public final class ChatClient implements Client {

    @Override
    public WireProtocol protocol() {
        return WireProtocol.OPENAI_CHAT;
    }

    @Override
    public String path() {
        return "/v1/chat/completions";
    }

    @Override
    public Map<String, String> headers(String key) {
        return Map.of("authorization", "Bearer " + key);
    }

    @Override
    public String toString() {
        return "chat";
    }

    @Override
    public ObjectNode text(String model, boolean stream) {
        ObjectNode body = base(model, stream);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", Script.SYSTEM);
        messages.addObject().put("role", "user").put("content", Script.HELLO);
        body.put("max_completion_tokens", Script.MAX_TOKENS);
        body.putArray("stop").add(Script.STOP);
        return body;
    }

    @Override
    public ObjectNode tools(String model, boolean stream) {
        ObjectNode body = base(model, stream);
        body.putArray("messages").addObject().put("role", "user").put("content", Script.ASK_TOOLS);
        ArrayNode tools = body.putArray("tools");
        for (Script.Tool tool : Script.tools()) {
            ObjectNode function = tools.addObject().put("type", "function").putObject("function");
            function.put("name", tool.name()).put("description", tool.description()).set("parameters",
                    tool.parameters());
        }
        return body;
    }

    @Override
    public ObjectNode toolResults(ObjectNode first, Answer answer, boolean stream) {
        ObjectNode body = first.deepCopy();
        ArrayNode messages = (ArrayNode) body.get("messages");
        messages.add(answer.replay());
        for (Answer.Call call : answer.calls()) {
            messages.addObject().put("role", "tool").put("tool_call_id", call.id())
                    .put("content", Script.RESULTS.get(call.name()));
        }
        return body;
    }

    @Override
    public ObjectNode image(String model, String url) {
        ObjectNode body = base(model, false);
        ArrayNode content = body.putArray("messages").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "text").put("text", Script.ASK_IMAGE);
        content.addObject().put("type", "image_url").putObject("image_url").put("url", url);
        return body;
    }

    @Override
    public ObjectNode reasoning(String model, boolean stream) {
        ObjectNode body = base(model, stream);
        body.putArray("messages").addObject().put("role", "user").put("content", Script.HELLO);
        body.put("max_completion_tokens", Script.REASONING_MAX_TOKENS);
        body.put("reasoning_effort", "low");
        return body;
    }

    @Override
    public String reasoningParam() {
        return "reasoning_effort";
    }

    private static ObjectNode base(String model, boolean stream) {
        ObjectNode body = Wire.object().put("model", model);
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    @Override
    public Answer json(String body) {
        JsonNode completion = Wire.tree(body);
        OpenAiSchema.assertChatCompletion(completion);
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<Answer.Call> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(new Answer.Call(call.path("id").asText(), call.path("function").path("name").asText(),
                    Wire.tree(call.path("function").path("arguments").asText()), 1));
        }
        return new Answer(message.path("content").asText(""), message.path("reasoning_content").asText(""),
                stop(choice.path("finish_reason").asText()), tokens(completion.path("usage")), calls,
                message.deepCopy());
    }

    @Override
    public Answer stream(List<String> lines) {
        List<Wire.Event> events = Wire.events(lines);
        assertFalse(events.isEmpty(), "an empty stream");
        assertEquals("[DONE]", events.getLast().data(), "a chat stream ends with [DONE]");
        List<JsonNode> chunks = chunks(events.subList(0, events.size() - 1));
        JsonNode last = chunks.getLast();
        assertTrue(last.path("choices").isEmpty() && last.path("usage").isObject(),
                "the usage chunk (choices: []) comes last, before [DONE]: " + last);
        Accumulated answer = new Accumulated();
        for (JsonNode chunk : chunks) {
            if (chunk != last) {
                assertTrue(chunk.path("usage").isMissingNode() || chunk.path("usage").isNull(),
                        "usage before the last chunk: " + chunk);
            }
            chunk.path("choices").forEach(answer::add);
        }
        return answer.toAnswer(tokens(last.path("usage")));
    }

    @Override
    public String streamError(List<String> lines) {
        List<Wire.Event> events = Wire.events(lines);
        events.forEach(event -> assertFalse(event.data().equals("[DONE]"), "[DONE] in a failed stream"));
        chunks(events.subList(0, events.size() - 1));
        OpenAiSchema.assertError(events.getLast().json());
        return events.getLast().json().path("error").path("message").asText();
    }

    @Override
    public String error(int status, String body, int expectedStatus) {
        assertEquals(expectedStatus, status, body);
        OpenAiSchema.assertError(Wire.tree(body));
        return Wire.tree(body).path("error").path("message").asText();
    }

    private static List<JsonNode> chunks(List<Wire.Event> events) {
        List<JsonNode> chunks = new ArrayList<>();
        for (Wire.Event event : events) {
            assertEquals("", event.name(), "chat events are unnamed");
            JsonNode chunk = event.json();
            ObjectNode checked = (ObjectNode) chunk.deepCopy();
            if (checked.path("usage").isNull()) {
                // OpenAI itself sends "usage": null on every chunk but the last once usage is asked for, and its
                // SDKs read it; the published schema has no null there
                checked.remove("usage");
            }
            OpenAiSchema.assertChatChunk(checked);
            chunks.add(chunk);
        }
        return chunks;
    }

    static Answer.Stop stop(String finishReason) {
        return switch (finishReason) {
            case "stop" -> Answer.Stop.END;
            case "length" -> Answer.Stop.MAX_TOKENS;
            case "tool_calls" -> Answer.Stop.TOOL_USE;
            case "content_filter" -> Answer.Stop.REFUSAL;
            default -> throw new AssertionError("not a finish reason: " + finishReason);
        };
    }

    private static Answer.Tokens tokens(JsonNode usage) {
        JsonNode details = usage.path("prompt_tokens_details");
        // cache_write_tokens is the gateway's extension for vendors that report cache writes (providers.md)
        return new Answer.Tokens(usage.path("prompt_tokens").asLong(), details.path("cached_tokens").asLong(),
                details.path("cache_write_tokens").asLong(), usage.path("completion_tokens").asLong());
    }

    /** The choice-0 deltas of a stream, assembled as the SDKs do, checking that tool calls keep index and id. */
    private static final class Accumulated {
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder reasoning = new StringBuilder();
        private final Map<Integer, ObjectNode> calls = new TreeMap<>();
        private final Map<Integer, Integer> fragments = new TreeMap<>();
        private String finishReason;

        void add(JsonNode choice) {
            assertEquals(0, choice.path("index").asInt(), "one choice");
            JsonNode delta = choice.path("delta");
            text.append(delta.path("content").asText(""));
            reasoning.append(delta.path("reasoning_content").asText(""));
            delta.path("tool_calls").forEach(this::call);
            if (choice.path("finish_reason").isTextual()) {
                assertEquals(null, finishReason, "a second finish reason");
                finishReason = choice.path("finish_reason").asText();
            }
        }

        private void call(JsonNode delta) {
            int index = delta.path("index").asInt(-1);
            assertTrue(index >= 0, "a tool call delta without index: " + delta);
            JsonNode function = delta.path("function");
            ObjectNode call = calls.get(index);
            if (call == null) {
                assertTrue(delta.path("id").isTextual() && function.path("name").isTextual(),
                        "a tool call's first delta names its id and function: " + delta);
                call = Wire.object().put("id", delta.path("id").asText()).put("type", "function");
                call.putObject("function").put("name", function.path("name").asText()).put("arguments", "");
                if (delta.has("extra_content")) {
                    call.set("extra_content", delta.get("extra_content"));
                }
                calls.put(index, call);
                fragments.put(index, 0);
            } else {
                assertTrue(!delta.hasNonNull("id") || delta.path("id").asText().equals(call.path("id").asText()),
                        "tool call " + index + " changed its id: " + delta);
            }
            String piece = function.path("arguments").asText("");
            if (!piece.isEmpty()) {
                ObjectNode assembled = (ObjectNode) call.get("function");
                assembled.put("arguments", assembled.path("arguments").asText() + piece);
                fragments.merge(index, 1, Integer::sum);
            }
        }

        Answer toAnswer(Answer.Tokens usage) {
            assertTrue(finishReason != null, "no finish reason");
            List<Answer.Call> assembled = new ArrayList<>();
            ObjectNode replay = Wire.object().put("role", "assistant");
            if (text.isEmpty()) {
                replay.putNull("content");
            } else {
                replay.put("content", text.toString());
            }
            calls.forEach((index, call) -> {
                JsonNode function = call.path("function");
                assembled.add(new Answer.Call(call.path("id").asText(), function.path("name").asText(),
                        Wire.tree(function.path("arguments").asText()), fragments.get(index)));
            });
            if (!calls.isEmpty()) {
                calls.values().forEach(replay.withArray("tool_calls")::add);
            }
            return new Answer(text.toString(), reasoning.toString(), stop(finishReason), usage, assembled, replay);
        }
    }
}
