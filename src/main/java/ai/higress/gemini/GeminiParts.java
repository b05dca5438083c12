package ai.higress.gemini;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Single Gemini parts and function declarations in canonical form. */
final class GeminiParts {

    private GeminiParts() {
    }

    /** An image as a data URL, or WAV/MP3 audio as input audio; other media have no canonical part. */
    static ObjectNode inlineData(JsonNode data, String field) {
        String mime = Refusal.text(Refusal.object(data, field).path("mimeType"), field + ".mimeType");
        String base64 = Refusal.text(data.path("data"), field + ".data");
        ObjectNode part = Json.object();
        if (mime.startsWith("image/")) {
            part.put("type", "image_url").putObject("image_url").put("url", "data:" + mime + ";base64," + base64);
        } else if (mime.equals("audio/wav") || mime.equals("audio/mp3") || mime.equals("audio/mpeg")) {
            part.put("type", "input_audio").putObject("input_audio").put("data", base64)
                    .put("format", mime.equals("audio/wav") ? "wav" : "mp3");
        } else {
            throw Refusal.invalid(field + ".mimeType", "Only images and WAV or MP3 audio are supported.");
        }
        return part;
    }

    static ObjectNode functionCall(JsonNode call, String field, Map<String, Deque<String>> pending, String position) {
        String name = Refusal.text(Refusal.object(call, field).path("name"), field + ".name");
        JsonNode args = call.path("args");
        if (!args.isMissingNode() && !args.isNull() && !args.isObject()) {
            throw Refusal.invalid(field + ".args", "Expected an object.");
        }
        String id = call.path("id").isTextual() ? call.get("id").textValue() : "call_" + position;
        pending.computeIfAbsent(name, unused -> new ArrayDeque<>()).add(id);
        ObjectNode out = Json.object().put("id", id).put("type", "function");
        out.putObject("function").put("name", name)
                .put("arguments", Json.text(args.isObject() ? args : Json.object()));
        return out;
    }

    static ObjectNode functionResponse(JsonNode response, String field, Map<String, Deque<String>> pending) {
        String name = Refusal.text(Refusal.object(response, field).path("name"), field + ".name");
        Deque<String> ids = pending.get(name);
        String id;
        if (response.path("id").isTextual()) {
            id = response.get("id").textValue();
            if (ids != null) {
                ids.remove(id);
            }
        } else if (ids != null && !ids.isEmpty()) {
            id = ids.poll();
        } else {
            throw Refusal.invalid(field, "No earlier functionCall named '" + name + "' to answer.");
        }
        JsonNode result = response.path("response");
        return Json.object().put("role", "tool").put("tool_call_id", id)
                .put("content", result.isMissingNode() ? "{}" : Json.text(result));
    }

    static ObjectNode declaration(JsonNode declaration, String field) {
        String name = Refusal.text(Refusal.object(declaration, field).path("name"), field + ".name");
        ObjectNode function = Json.object().put("name", name);
        if (declaration.hasNonNull("description")) {
            function.put("description", Refusal.text(declaration.get("description"), field + ".description"));
        }
        if (declaration.hasNonNull("parametersJsonSchema")) {
            function.set("parameters", declaration.get("parametersJsonSchema").deepCopy());
        } else if (declaration.hasNonNull("parameters")) {
            function.set("parameters", GeminiSchema.toJsonSchema(declaration.get("parameters")));
        }
        ObjectNode tool = Json.object().put("type", "function");
        tool.set("function", function);
        return tool;
    }
}
