package ai.higress.matrix;

import java.util.ArrayList;
import java.util.List;

import ai.higress.schema.WireProtocol;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;

import com.fasterxml.jackson.databind.JsonNode;

/** A Gemini upstream ({@code type: gemini}); a Gemini model of the 2.x generation, which takes thinking budgets. */
public final class GeminiUpstream extends Upstream {

    public GeminiUpstream() {
        super("gemini");
    }

    @Override
    public WireProtocol protocol() {
        return WireProtocol.GEMINI;
    }

    @Override
    public String provider() {
        return "gemini";
    }

    @Override
    public String yaml(ScriptedUpstream server) {
        return "gemini: {type: gemini, base-url: \"http://127.0.0.1:" + server.port()
                + "/v1beta\", api-key: AIza-matrix-gemini, models: [" + model() + "]}";
    }

    @Override
    public String model() {
        return "gemini-2.5-flash";
    }

    @Override
    public String path(boolean stream) {
        return "/v1beta/models/" + model() + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    /** Gemini sends each function call whole. */
    @Override
    public boolean fragmentsArguments() {
        return false;
    }

    @Override
    public String toolPreamble() {
        return "";
    }

    /** Gemini's calls have no ids: the gateway makes them from the response id and the call's place. */
    @Override
    public List<String> callIds(boolean stream) {
        String response = stream ? "MtrxTools02" : "MtrxTools01";
        return List.of("call_" + response + "_0_0", "call_" + response + "_0_1");
    }

    @Override
    public String reasoning() {
        return "budget=1024";
    }

    @Override
    public String badRequestHint() {
        return "exceeds the size accepted";
    }

    @Override
    protected String cutShort(String text) {
        return text.replace("\"finishReason\":\"STOP\"", "\"finishReason\":\"MAX_TOKENS\"");
    }

    @Override
    public Sent read(RecordedRequest request) {
        JsonNode body = request.json();
        String path = request.path();
        String model = path.substring(path.indexOf("/models/") + 8, path.indexOf(':'));
        String lastUser = "";
        List<Answer.Call> calls = new ArrayList<>();
        List<Sent.Result> results = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode content : body.path("contents")) {
            if (content.path("role").asText().equals("model")) {
                calls.clear();
                results.clear();
                for (JsonNode part : content.path("parts")) {
                    if (part.has("functionCall")) {
                        calls.add(new Answer.Call("", part.path("functionCall").path("name").asText(),
                                part.path("functionCall").path("args"), 1));
                    }
                }
                continue;
            }
            lastUser = "";
            for (JsonNode part : content.path("parts")) {
                if (part.has("text")) {
                    lastUser += part.path("text").asText();
                } else if (part.has("inlineData")) {
                    images.add("data:" + part.path("inlineData").path("mimeType").asText() + ";base64,"
                            + part.path("inlineData").path("data").asText());
                } else if (part.has("fileData")) {
                    // Gemini fetches the file itself and must be told its type
                    images.add(part.path("fileData").path("mimeType").asText().equals("image/png")
                            ? part.path("fileData").path("fileUri").asText() : "wrong type: " + part);
                } else if (part.has("functionResponse")) {
                    JsonNode response = part.path("functionResponse");
                    results.add(new Sent.Result("", response.path("name").asText(),
                            response.path("response").path("content").asText()));
                } else {
                    throw new AssertionError("an unexpected part: " + part);
                }
            }
        }
        JsonNode config = body.path("generationConfig");
        List<String> stop = new ArrayList<>();
        config.path("stopSequences").forEach(value -> stop.add(value.asText()));
        JsonNode thinking = config.path("thinkingConfig");
        String reasoning = thinking.has("thinkingBudget") ? "budget=" + thinking.path("thinkingBudget").asLong()
                : thinking.has("thinkingLevel") ? "level=" + thinking.path("thinkingLevel").asText() : "";
        return new Sent(path, model, OpenAiUpstream.text(body.path("systemInstruction").path("parts")), lastUser,
                config.path("maxOutputTokens").asLong(), stop, calls, results, images, reasoning);
    }
}
