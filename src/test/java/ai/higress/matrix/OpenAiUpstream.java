package ai.higress.matrix;

import java.util.ArrayList;
import java.util.List;

import ai.higress.schema.WireProtocol;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;

import com.fasterxml.jackson.databind.JsonNode;

/** An OpenAI chat-completions upstream ({@code type: openai}, preset openai, {@code responses-api: false}). */
public final class OpenAiUpstream extends Upstream {

    public OpenAiUpstream() {
        super("openai");
    }

    @Override
    public WireProtocol protocol() {
        return WireProtocol.OPENAI_CHAT;
    }

    @Override
    public String provider() {
        return "openai";
    }

    @Override
    public String yaml(ScriptedUpstream server) {
        return "openai: {type: openai, preset: openai, base-url: \"" + server.baseUri()
                + "\", api-key: sk-matrix-openai, responses-api: false, models: [" + model() + "]}";
    }

    @Override
    public String model() {
        return "gpt-4o-mini";
    }

    @Override
    public String path(boolean stream) {
        return "/v1/chat/completions";
    }

    @Override
    public boolean fragmentsArguments() {
        return true;
    }

    @Override
    public String toolPreamble() {
        return "";
    }

    @Override
    public List<String> callIds(boolean stream) {
        return List.of("call_Wthr7Kq2Paris", "call_Tm3Lp9XzParis");
    }

    @Override
    public String reasoning() {
        return "effort=low";
    }

    @Override
    public String badRequestHint() {
        return "string too long";
    }

    @Override
    protected String cutShort(String text) {
        return text.replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"length\"");
    }

    @Override
    public Sent read(RecordedRequest request) {
        JsonNode body = request.json();
        StringBuilder system = new StringBuilder();
        String lastUser = "";
        List<Answer.Call> calls = new ArrayList<>();
        List<Sent.Result> results = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            switch (message.path("role").asText()) {
                case "system", "developer" -> system.append(text(message.path("content")));
                case "user" -> {
                    lastUser = text(message.path("content"));
                    for (JsonNode part : message.path("content")) {
                        if (part.path("type").asText().equals("image_url")) {
                            images.add(part.path("image_url").path("url").asText());
                        }
                    }
                }
                case "assistant" -> {
                    calls.clear();
                    results.clear();
                    for (JsonNode call : message.path("tool_calls")) {
                        calls.add(new Answer.Call(call.path("id").asText(), call.path("function").path("name")
                                .asText(), Wire.tree(call.path("function").path("arguments").asText()), 1));
                    }
                }
                case "tool" -> results.add(new Sent.Result(message.path("tool_call_id").asText(), "",
                        text(message.path("content"))));
                default -> throw new AssertionError("an unexpected message: " + message);
            }
        }
        long max = body.path("max_completion_tokens").asLong(body.path("max_tokens").asLong(0));
        List<String> stop = new ArrayList<>();
        body.path("stop").forEach(value -> stop.add(value.asText()));
        String reasoning = body.has("reasoning_effort") ? "effort=" + body.path("reasoning_effort").asText() : "";
        return new Sent(request.path(), body.path("model").asText(), system.toString(), lastUser, max, stop, calls,
                results, images, reasoning);
    }

    /** A string, or the text of text parts. */
    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asText("")));
        return text.toString();
    }
}
