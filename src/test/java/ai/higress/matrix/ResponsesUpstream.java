package ai.higress.matrix;

import java.util.ArrayList;
import java.util.List;

import ai.higress.schema.WireProtocol;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An OpenAI provider that serves the Responses API itself ({@code responses-api: true}): only Responses clients reach
 * it in that dialect, relayed untouched.
 */
public final class ResponsesUpstream extends Upstream {

    public ResponsesUpstream() {
        super("responses");
    }

    @Override
    public WireProtocol protocol() {
        return WireProtocol.OPENAI_RESPONSES;
    }

    @Override
    public String provider() {
        return "responses";
    }

    @Override
    public String yaml(ScriptedUpstream server) {
        return "responses: {type: openai, preset: openai, base-url: \"" + server.baseUri()
                + "\", api-key: sk-matrix-responses, responses-api: true, models: [" + model() + "]}";
    }

    @Override
    public String model() {
        return "gpt-4.1-mini";
    }

    @Override
    public String path(boolean stream) {
        return "/v1/responses";
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
        return List.of("call_RspWthr01Paris", "call_RspTime02Paris");
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
        // the final response becomes incomplete, and so does the stream's terminal event
        return text.replace("\"status\":\"completed\",\"background\":false,\"completed_at\":1767225601,"
                        + "\"error\":null,\"incomplete_details\":null",
                        "\"status\":\"incomplete\",\"background\":false,\"completed_at\":null,\"error\":null,"
                        + "\"incomplete_details\":{\"reason\":\"max_output_tokens\"}")
                .replace("response.completed", "response.incomplete");
    }

    @Override
    public Sent read(RecordedRequest request) {
        JsonNode body = request.json();
        JsonNode input = body.path("input");
        String lastUser = input.isTextual() ? input.asText() : "";
        List<Answer.Call> calls = new ArrayList<>();
        List<Sent.Result> results = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode item : input) {
            switch (item.path("type").asText("message")) {
                case "message" -> {
                    if (item.path("role").asText().equals("user")) {
                        lastUser = OpenAiUpstream.text(item.path("content"));
                        item.path("content").forEach(part -> {
                            if (part.path("type").asText().equals("input_image")) {
                                images.add(part.path("image_url").asText());
                            }
                        });
                    }
                }
                case "function_call" -> calls.add(new Answer.Call(item.path("call_id").asText(),
                        item.path("name").asText(), Wire.tree(item.path("arguments").asText()), 1));
                case "function_call_output" -> results.add(new Sent.Result(item.path("call_id").asText(), "",
                        item.path("output").asText()));
                default -> throw new AssertionError("an unexpected input item: " + item);
            }
        }
        String reasoning = body.path("reasoning").has("effort")
                ? "effort=" + body.path("reasoning").path("effort").asText() : "";
        return new Sent(request.path(), body.path("model").asText(), body.path("instructions").asText(""), lastUser,
                body.path("max_output_tokens").asLong(0), List.of(), calls, results, images, reasoning);
    }
}
