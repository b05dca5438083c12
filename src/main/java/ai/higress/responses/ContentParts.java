package ai.higress.responses;

import java.util.List;
import java.util.Set;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Content parts of Responses messages: validated and normalised on input, and turned into chat-completions parts. */
final class ContentParts {
    private static final List<String> IMAGE_DETAILS = List.of("low", "high", "auto", "original");
    private static final Set<String> CHAT_IMAGE_DETAILS = Set.of("low", "high", "auto");

    private ContentParts() {
    }

    /**
     * Normalised input parts. {@code media} allows images and files (user messages); elsewhere (system and developer
     * messages, function call outputs) chat completions takes text only.
     */
    static ArrayNode input(JsonNode parts, String param, boolean media) {
        ArrayNode normalised = Json.MAPPER.createArrayNode();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String at = param + "[" + i + "]";
            if (!part.isObject()) {
                throw RequestErrors.type(at, "an object", part);
            }
            String type = RequestErrors.text(part.get("type"), at + ".type");
            if (!type.equals("input_text") && !media) {
                throw RequestErrors.unsupported(at + ".type", "Only input_text parts are supported here.");
            }
            normalised.add(switch (type) {
                case "input_text" -> text(part, at);
                case "input_image" -> image(part, at);
                case "input_file" -> file(part, at);
                default -> throw RequestErrors.value(at + ".type", type,
                        List.of("input_text", "input_image", "input_file"));
            });
        }
        return normalised;
    }

    private static ObjectNode text(JsonNode part, String param) {
        ObjectNode text = Json.object();
        text.put("type", "input_text");
        text.put("text", RequestErrors.text(part.get("text"), param + ".text"));
        return text;
    }

    private static ObjectNode image(JsonNode part, String param) {
        if (part.hasNonNull("file_id") && !part.hasNonNull("image_url")) {
            throw RequestErrors.unsupported(param + ".file_id", "Images by file_id are not supported by this "
                    + "gateway; send image_url with a URL or a data URL.");
        }
        ObjectNode image = Json.object();
        image.put("type", "input_image");
        image.put("image_url", RequestErrors.text(part.get("image_url"), param + ".image_url"));
        JsonNode detail = part.get("detail");
        String value = detail == null || detail.isNull() ? "auto" : RequestErrors.text(detail, param + ".detail");
        if (!IMAGE_DETAILS.contains(value)) {
            throw RequestErrors.value(param + ".detail", value, IMAGE_DETAILS);
        }
        image.put("detail", value);
        return image;
    }

    private static ObjectNode file(JsonNode part, String param) {
        if (part.hasNonNull("file_url")) {
            throw RequestErrors.unsupported(param + ".file_url", "Files by URL are not supported by this gateway; "
                    + "send file_data or file_id.");
        }
        ObjectNode file = Json.object();
        file.put("type", "input_file");
        for (String field : List.of("file_data", "file_id", "filename")) {
            if (part.hasNonNull(field)) {
                file.put(field, RequestErrors.text(part.get(field), param + "." + field));
            }
        }
        if (!file.has("file_data") && !file.has("file_id")) {
            throw RequestErrors.missing(param + ".file_data");
        }
        return file;
    }

    /** The text of an assistant message's parts as a client replays them (output_text, input_text or refusal). */
    static String assistantText(JsonNode parts, String param) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String at = param + "[" + i + "]";
            String type = part.isObject() ? RequestErrors.text(part.get("type"), at + ".type") : "";
            switch (type) {
                case "output_text", "input_text" -> text.append(RequestErrors.text(part.get("text"), at + ".text"));
                case "refusal" -> text.append(RequestErrors.text(part.get("refusal"), at + ".refusal"));
                default -> throw RequestErrors.unsupported(at, "Assistant content parts must be output_text or "
                        + "refusal.");
            }
        }
        return text.toString();
    }

    /** The text of a response message's content: its output_text parts, or its refusal when it has no text. */
    static String outputText(JsonNode parts) {
        StringBuilder text = new StringBuilder();
        StringBuilder refusal = new StringBuilder();
        for (JsonNode part : parts) {
            switch (part.path("type").asText("")) {
                case "output_text" -> text.append(part.path("text").asText(""));
                case "refusal" -> refusal.append(part.path("refusal").asText(""));
                default -> {
                    // nothing a later turn can read
                }
            }
        }
        return text.isEmpty() ? refusal.toString() : text.toString();
    }

    /** Normalised parts as chat-completions content parts. */
    static ArrayNode toChat(JsonNode parts) {
        ArrayNode chat = Json.MAPPER.createArrayNode();
        for (JsonNode part : parts) {
            ObjectNode converted = chat.addObject();
            switch (part.path("type").asText()) {
                case "input_text" -> converted.put("type", "text").put("text", part.path("text").asText());
                case "input_image" -> {
                    converted.put("type", "image_url");
                    ObjectNode url = converted.putObject("image_url");
                    url.put("url", part.path("image_url").asText());
                    String detail = part.path("detail").asText("auto");
                    if (CHAT_IMAGE_DETAILS.contains(detail)) {
                        url.put("detail", detail);
                    }
                }
                case "input_file" -> {
                    converted.put("type", "file");
                    ObjectNode file = converted.putObject("file");
                    for (String field : List.of("file_data", "file_id", "filename")) {
                        if (part.has(field)) {
                            file.set(field, part.get(field));
                        }
                    }
                }
                default -> throw new IllegalStateException("not a normalised part: " + part.path("type"));
            }
        }
        return chat;
    }
}
