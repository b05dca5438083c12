package ai.higress.provider.gemini;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The content parts of a user message as Gemini parts: text, images, audio and files. Base64 data URLs become
 * {@code inlineData}. An {@code https} image URL becomes {@code fileData}, which Gemini fetches itself, only when its
 * path names an image type Gemini reads (its {@code mimeType} is required and the URL is the only source for it);
 * any other URL is refused rather than guessed at.
 */
final class GeminiParts {
    private static final Pattern DATA_URL = Pattern.compile("data:([\\w.+-]+/[\\w.+-]+)((?:;[^;,]*)*);base64,(.*)",
            Pattern.DOTALL);
    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "webp", "image/webp", "heic", "image/heic", "heif", "image/heif");
    private static final Map<String, String> AUDIO_TYPES = Map.of("wav", "audio/wav", "mp3", "audio/mp3");

    private GeminiParts() {
    }

    static ArrayNode user(JsonNode content, String param) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isTextual()) {
            parts.addObject().put("text", content.asText());
            return parts;
        }
        for (int i = 0; i < content.size(); i++) {
            parts.add(part(content.get(i), param + "[" + i + "]"));
        }
        return parts;
    }

    private static ObjectNode part(JsonNode part, String param) {
        String type = part.path("type").asText();
        return switch (type) {
            case "text" -> Json.object().put("text", part.path("text").asText());
            case "image_url" -> image(part.path("image_url").path("url").asText(""), param + ".image_url.url");
            case "input_audio" -> audio(part.path("input_audio"), param + ".input_audio");
            case "file" -> file(part.path("file"), param + ".file");
            default -> throw Refusals.unsupported(param + ".type", "Content parts of type '" + type
                    + "' cannot be sent to a Gemini provider.");
        };
    }

    private static ObjectNode image(String url, String param) {
        if (url.startsWith("data:")) {
            return inline(url, param);
        }
        Optional<String> mimeType = imageTypeOf(url);
        if (mimeType.isEmpty()) {
            throw Refusals.unsupported(param, "Gemini providers take images as base64 data URLs, or as https URLs "
                    + "whose path ends in .png, .jpg, .jpeg, .webp, .heic or .heif (Gemini needs the type and fetches "
                    + "the file itself); '" + param + "' is neither.");
        }
        ObjectNode part = Json.object();
        part.putObject("fileData").put("mimeType", mimeType.get()).put("fileUri", url);
        return part;
    }

    private static Optional<String> imageTypeOf(String url) {
        try {
            URI uri = URI.create(url);
            String path = uri.getPath();
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || path == null) {
                return Optional.empty();
            }
            int dot = path.lastIndexOf('.');
            return dot < 0 ? Optional.empty()
                    : Optional.ofNullable(IMAGE_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode audio(JsonNode audio, String param) {
        String format = audio.path("format").asText("");
        String mimeType = AUDIO_TYPES.get(format);
        if (mimeType == null) {
            throw Refusals.unsupported(param + ".format", "Audio format '" + format + "' cannot be sent to a Gemini "
                    + "provider; use 'wav' or 'mp3'.");
        }
        return inlineData(mimeType, audio.path("data").asText(""));
    }

    private static ObjectNode file(JsonNode file, String param) {
        if (file.hasNonNull("file_id")) {
            throw Refusals.unsupported(param + ".file_id", "Uploaded OpenAI files cannot be sent to a Gemini "
                    + "provider; send the file inline as 'file_data'.");
        }
        return inline(file.path("file_data").asText(""), param + ".file_data");
    }

    private static ObjectNode inline(String dataUrl, String param) {
        Matcher matcher = DATA_URL.matcher(dataUrl);
        if (!matcher.matches()) {
            throw Refusals.invalid(param, "'" + param + "' must be a base64 data URL (data:<type>;base64,...).");
        }
        return inlineData(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(3));
    }

    private static ObjectNode inlineData(String mimeType, String base64) {
        ObjectNode part = Json.object();
        part.putObject("inlineData").put("mimeType", mimeType).put("data", base64);
        return part;
    }
}
