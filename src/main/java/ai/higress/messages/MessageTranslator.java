package ai.higress.messages;

import java.util.Set;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static ai.higress.messages.Fields.invalid;
import static ai.higress.messages.Fields.path;
import static ai.higress.messages.Fields.requiredObject;
import static ai.higress.messages.Fields.requiredText;
import static ai.higress.messages.Fields.unsupported;

/**
 * Translates the system prompt and the conversation of a Messages request into canonical chat messages. A user turn
 * becomes its tool results first (one {@code tool} message each, as OpenAI wants them right after the assistant's
 * calls) and then a user message with the rest; an assistant turn becomes one message with its text and tool calls.
 * Thinking blocks are validated and dropped: chat upstreams take no reasoning as input.
 */
final class MessageTranslator {
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
    /** Prepended to a failed tool's output: chat completions have no error flag on a tool message. */
    static final String TOOL_ERROR_PREFIX = "Error: ";

    private MessageTranslator() {
    }

    /** The canonical {@code messages}: the system prompt (if any), then each turn. */
    static ArrayNode translate(JsonNode root) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (Fields.present(root, "system")) {
            system(root.get("system"), out);
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isNull()) {
            throw invalid("messages", "Field required");
        }
        Fields.expect(messages, JsonNodeType.ARRAY, "messages");
        if (messages.isEmpty()) {
            throw invalid("messages", "List should have at least 1 item");
        }
        int systemMessages = out.size();
        for (int i = 0; i < messages.size(); i++) {
            message(messages.get(i), path("messages", i), out);
        }
        if (out.size() == systemMessages) {
            throw invalid("messages", "nothing is left to send once the thinking blocks are removed");
        }
        return out;
    }

    private static void system(JsonNode system, ArrayNode out) {
        String text;
        if (system.isTextual()) {
            text = system.textValue();
        } else if (system.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < system.size(); i++) {
                String path = path("system", i);
                JsonNode block = Fields.expect(system.get(i), JsonNodeType.OBJECT, path);
                if (!"text".equals(requiredText(block, "type", path))) {
                    throw invalid(path("system", i) + ".type", "the system prompt takes only text blocks");
                }
                joined.append(joined.isEmpty() ? "" : "\n").append(requiredText(block, "text", path));
            }
            text = joined.toString();
        } else {
            throw invalid("system", "Input should be a valid string or a list of text blocks, but got "
                    + Fields.describe(system));
        }
        if (!text.isEmpty()) {
            out.addObject().put("role", "system").put("content", text);
        }
    }

    private static void message(JsonNode message, String path, ArrayNode out) {
        Fields.expect(message, JsonNodeType.OBJECT, path);
        String role = requiredText(message, "role", path);
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            throw invalid(path(path, "content"), "Field required");
        }
        if (!content.isTextual() && !content.isArray()) {
            throw invalid(path(path, "content"), "Input should be a valid string or a list of content blocks, "
                    + "but got " + Fields.describe(content));
        }
        switch (role) {
            case "user" -> user(content, path(path, "content"), out);
            case "assistant" -> assistant(content, path(path, "content"), out);
            default -> throw invalid(path(path, "role"), "Input should be 'user' or 'assistant'");
        }
    }

    private static void user(JsonNode content, String path, ArrayNode out) {
        if (content.isTextual()) {
            out.addObject().put("role", "user").put("content", content.textValue());
            return;
        }
        if (content.isEmpty()) {
            throw invalid(path, "List should have at least 1 item");
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (int i = 0; i < content.size(); i++) {
            String blockPath = path(path, i);
            JsonNode block = Fields.expect(content.get(i), JsonNodeType.OBJECT, blockPath);
            switch (requiredText(block, "type", blockPath)) {
                case "text" -> parts.addObject().put("type", "text")
                        .put("text", requiredText(block, "text", blockPath));
                case "image" -> parts.add(image(block, blockPath));
                case "tool_result" -> out.add(toolResult(block, blockPath));
                case "document" -> throw unsupported(blockPath, "a document block");
                case "search_result" -> throw unsupported(blockPath, "a search_result block");
                default -> throw invalid(path(blockPath, "type"), "unsupported content block type '"
                        + block.get("type").textValue() + "' in a user message");
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        ObjectNode user = out.addObject().put("role", "user");
        if (parts.size() == 1 && "text".equals(parts.get(0).get("type").textValue())) {
            user.put("content", parts.get(0).get("text").textValue());
        } else {
            user.set("content", parts);
        }
    }

    private static void assistant(JsonNode content, String path, ArrayNode out) {
        if (content.isTextual()) {
            out.addObject().put("role", "assistant").put("content", content.textValue());
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (int i = 0; i < content.size(); i++) {
            String blockPath = path(path, i);
            JsonNode block = Fields.expect(content.get(i), JsonNodeType.OBJECT, blockPath);
            switch (requiredText(block, "type", blockPath)) {
                case "text" -> text.append(requiredText(block, "text", blockPath));
                case "tool_use" -> calls.add(toolUse(block, blockPath));
                case "thinking" -> requiredText(block, "thinking", blockPath);
                case "redacted_thinking" -> requiredText(block, "data", blockPath);
                case "server_tool_use", "web_search_tool_result", "web_fetch_tool_result",
                     "code_execution_tool_result", "mcp_tool_use", "mcp_tool_result" ->
                        throw unsupported(blockPath, "a server tool block ('" + block.get("type").textValue() + "')");
                default -> throw invalid(path(blockPath, "type"), "unsupported content block type '"
                        + block.get("type").textValue() + "' in an assistant message");
            }
        }
        if (text.isEmpty() && calls.isEmpty()) {
            // only thinking: nothing a chat upstream can take
            return;
        }
        ObjectNode assistant = out.addObject().put("role", "assistant");
        if (text.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            assistant.set("tool_calls", calls);
        }
    }

    private static ObjectNode image(JsonNode block, String path) {
        String sourcePath = path(path, "source");
        JsonNode source = requiredObject(block, "source", path);
        String url = switch (requiredText(source, "type", sourcePath)) {
            case "base64" -> {
                String mediaType = requiredText(source, "media_type", sourcePath);
                if (!IMAGE_TYPES.contains(mediaType)) {
                    throw invalid(path(sourcePath, "media_type"),
                            "Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'");
                }
                yield "data:" + mediaType + ";base64," + requiredText(source, "data", sourcePath);
            }
            case "url" -> requiredText(source, "url", sourcePath);
            case "file" -> throw unsupported(sourcePath, "an image from the Files API (source type 'file')");
            default -> throw invalid(path(sourcePath, "type"), "Input should be 'base64' or 'url'");
        };
        ObjectNode part = Json.object().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    private static ObjectNode toolResult(JsonNode block, String path) {
        String id = requiredText(block, "tool_use_id", path);
        StringBuilder text = new StringBuilder();
        JsonNode content = block.get("content");
        if (content != null && content.isTextual()) {
            text.append(content.textValue());
        } else if (content != null && content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                String partPath = path(path(path, "content"), i);
                JsonNode part = Fields.expect(content.get(i), JsonNodeType.OBJECT, partPath);
                String type = requiredText(part, "type", partPath);
                if (!type.equals("text")) {
                    throw unsupported(partPath, "a block of type '" + type + "' inside a tool_result (chat "
                            + "tool results carry text only)");
                }
                text.append(text.isEmpty() ? "" : "\n").append(requiredText(part, "text", partPath));
            }
        } else if (content != null && !content.isNull()) {
            throw invalid(path(path, "content"), "Input should be a valid string or a list of content blocks, but got "
                    + Fields.describe(content));
        }
        JsonNode isError = block.get("is_error");
        if (isError != null && !isError.isNull() && !isError.isBoolean()) {
            throw invalid(path(path, "is_error"), "Input should be a valid boolean, but got "
                    + Fields.describe(isError));
        }
        boolean failed = isError != null && isError.asBoolean(false);
        return Json.object().put("role", "tool").put("tool_call_id", id)
                .put("content", failed ? TOOL_ERROR_PREFIX + text : text.toString());
    }

    private static ObjectNode toolUse(JsonNode block, String path) {
        String id = requiredText(block, "id", path);
        String name = requiredText(block, "name", path);
        JsonNode input = requiredObject(block, "input", path);
        ObjectNode call = Json.object().put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", Json.text(input));
        return call;
    }
}
