package ai.higress.matrix;

import java.util.ArrayList;
import java.util.List;

import ai.higress.schema.WireProtocol;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;

import com.fasterxml.jackson.databind.JsonNode;

/** An Anthropic Messages upstream ({@code type: anthropic}). */
public final class AnthropicUpstream extends Upstream {

    public AnthropicUpstream() {
        super("anthropic");
    }

    @Override
    public WireProtocol protocol() {
        return WireProtocol.ANTHROPIC_MESSAGES;
    }

    @Override
    public String provider() {
        return "anthropic";
    }

    @Override
    public String yaml(ScriptedUpstream server) {
        return "anthropic: {type: anthropic, base-url: \"" + server.baseUri()
                + "\", api-key: sk-ant-matrix, models: [" + model() + "]}";
    }

    @Override
    public String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    public String path(boolean stream) {
        return "/v1/messages";
    }

    @Override
    public boolean fragmentsArguments() {
        return true;
    }

    @Override
    public String toolPreamble() {
        return "I'll look up both.";
    }

    @Override
    public List<String> callIds(boolean stream) {
        return List.of("toolu_01WeatherParis7Kq", "toolu_01TimeParis9Xz");
    }

    @Override
    public long cacheWrites() {
        return 2;
    }

    @Override
    public String reasoning() {
        return "budget=2048";
    }

    @Override
    public String badRequestHint() {
        return "prompt is too large";
    }

    @Override
    protected String cutShort(String text) {
        return text.replace("\"stop_reason\":\"end_turn\"", "\"stop_reason\":\"max_tokens\"");
    }

    @Override
    public Sent read(RecordedRequest request) {
        JsonNode body = request.json();
        String lastUser = "";
        List<Answer.Call> calls = new ArrayList<>();
        List<Sent.Result> results = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode turn : body.path("messages")) {
            JsonNode content = turn.path("content");
            if (turn.path("role").asText().equals("assistant")) {
                calls.clear();
                results.clear();
                for (JsonNode block : content) {
                    if (block.path("type").asText().equals("tool_use")) {
                        calls.add(new Answer.Call(block.path("id").asText(), block.path("name").asText(),
                                block.path("input"), 1));
                    }
                }
                continue;
            }
            lastUser = content.isTextual() ? content.asText() : "";
            for (JsonNode block : content) {
                switch (block.path("type").asText()) {
                    case "text" -> lastUser += block.path("text").asText();
                    case "image" -> images.add(image(block.path("source")));
                    case "tool_result" -> results.add(new Sent.Result(block.path("tool_use_id").asText(), "",
                            OpenAiUpstream.text(block.path("content"))));
                    default -> throw new AssertionError("an unexpected block: " + block);
                }
            }
        }
        List<String> stop = new ArrayList<>();
        body.path("stop_sequences").forEach(value -> stop.add(value.asText()));
        JsonNode thinking = body.path("thinking");
        String reasoning = thinking.path("type").asText().equals("enabled")
                ? "budget=" + thinking.path("budget_tokens").asLong() : "";
        return new Sent(request.path(), body.path("model").asText(), OpenAiUpstream.text(body.path("system")),
                lastUser, body.path("max_tokens").asLong(), stop, calls, results, images, reasoning);
    }

    private static String image(JsonNode source) {
        return source.path("type").asText().equals("base64")
                ? "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText()
                : source.path("url").asText();
    }
}
