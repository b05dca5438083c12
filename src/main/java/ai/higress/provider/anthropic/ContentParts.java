package ai.higress.provider.anthropic;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI content parts as Anthropic content blocks: text, images (data URLs become base64 sources, http(s) URLs
 * become URL sources) and PDF files sent inline. Audio and uploaded-file references have no Anthropic form and are
 * refused. A {@code cache_control} marker on a part is carried over, so clients can use Anthropic's prompt caching.
 */
final class ContentParts {
    private static final Pattern DATA_URL = Pattern.compile("data:([\\w.+-]+/[\\w.+-]+);base64,(.+)", Pattern.DOTALL);
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private ContentParts() {
    }

    /** The blocks of a message's {@code content} (a string or an array of parts); empty text is left out. */
    static ArrayNode blocks(JsonNode content, String param) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            addText(blocks, content.asText(), null);
            return blocks;
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partParam = param + "[" + i + "]";
            String type = part.path("type").asText("");
            switch (type) {
                case "text", "refusal" -> addText(blocks, part.path(type).asText(""), part.get("cache_control"));
                case "image_url" -> blocks.add(image(part, partParam));
                case "file" -> blocks.add(file(part.path("file"), partParam + ".file"));
                default -> throw Refusals.value(partParam + ".type", "'" + type + "' content parts have no "
                        + "Anthropic equivalent (supported: text, image_url, file with a PDF data URL)");
            }
        }
        return blocks;
    }

    private static void addText(ArrayNode blocks, String text, JsonNode cacheControl) {
        if (text.isEmpty()) {
            // Anthropic rejects empty text blocks; an empty part carries nothing
            return;
        }
        ObjectNode block = blocks.addObject().put("type", "text").put("text", text);
        copyCacheControl(cacheControl, block);
    }

    private static ObjectNode image(JsonNode part, String param) {
        JsonNode imageUrl = part.path("image_url");
        String url = imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
        ObjectNode block = Json.object().put("type", "image");
        if (url.startsWith("https://") || url.startsWith("http://")) {
            block.putObject("source").put("type", "url").put("url", url);
        } else {
            Matcher data = DATA_URL.matcher(url);
            if (!data.matches()) {
                throw Refusals.invalid(param + ".image_url.url", "expected an http(s) URL or a base64 data URL");
            }
            String mediaType = data.group(1).toLowerCase(java.util.Locale.ROOT);
            if (!IMAGE_TYPES.contains(mediaType)) {
                throw Refusals.value(param + ".image_url.url", "has media type '" + mediaType + "'; Anthropic "
                        + "models accept image/jpeg, image/png, image/gif and image/webp");
            }
            block.putObject("source").put("type", "base64").put("media_type", mediaType).put("data", data.group(2));
        }
        copyCacheControl(part.get("cache_control"), block);
        return block;
    }

    private static ObjectNode file(JsonNode file, String param) {
        Matcher data = DATA_URL.matcher(file.path("file_data").asText(""));
        if (!data.matches() || !data.group(1).equalsIgnoreCase("application/pdf")) {
            throw Refusals.value(param, "only PDF files sent inline as a base64 data URL in 'file_data' are "
                    + "supported with Anthropic models (no 'file_id')");
        }
        ObjectNode block = Json.object().put("type", "document");
        block.putObject("source").put("type", "base64").put("media_type", "application/pdf")
                .put("data", data.group(2));
        return block;
    }

    static void copyCacheControl(JsonNode cacheControl, ObjectNode block) {
        if (cacheControl != null && cacheControl.isObject()) {
            block.set("cache_control", cacheControl.deepCopy());
        }
    }
}
