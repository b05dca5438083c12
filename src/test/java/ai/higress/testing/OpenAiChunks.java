package ai.higress.testing;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Realistic OpenAI Chat Completions payloads for {@link ScriptedUpstream} scripts, built with Jackson so escaping is
 * right. Ids and timestamps are fixed ({@link #ID}, {@link #CREATED}, {@link #FINGERPRINT}) so outputs are
 * deterministic; every chunk of one stream shares the id, as with the real API.
 */
public final class OpenAiChunks {

    public static final String ID = "chatcmpl-scripted0001";
    public static final long CREATED = 1_700_000_000L;
    public static final String FINGERPRINT = "fp_scripted";
    /** Prompt tokens reported by {@link #streamOf(String, List, boolean)}'s usage chunk. */
    public static final int DEFAULT_PROMPT_TOKENS = 10;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenAiChunks() {
    }

    /** A full non-streaming {@code chat.completion} with one assistant choice, finish reason {@code stop}. */
    public static String completion(String model, String content, int promptTokens, int completionTokens) {
        ObjectNode root = envelope("chat.completion", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        root.set("usage", usage(promptTokens, completionTokens));
        return write(root);
    }

    /** A {@code chat.completion.chunk} whose delta carries {@code contentDelta}. */
    public static String chunk(String model, String contentDelta) {
        ObjectNode delta = MAPPER.createObjectNode();
        delta.put("content", contentDelta);
        return chunkWith(model, delta, null);
    }

    /** The first chunk of a stream: delta {@code {"role":"assistant","content":""}}. */
    public static String roleChunk(String model) {
        ObjectNode delta = MAPPER.createObjectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        delta.putNull("refusal");
        return chunkWith(model, delta, null);
    }

    /** The chunk with an empty delta and the given {@code finish_reason} (e.g. {@code stop}, {@code length}). */
    public static String finishChunk(String model, String finishReason) {
        return chunkWith(model, MAPPER.createObjectNode(), finishReason);
    }

    /** The final usage chunk of a stream with {@code stream_options.include_usage}: {@code choices: []} + usage. */
    public static String usageChunk(String model, int promptTokens, int completionTokens) {
        ObjectNode root = envelope("chat.completion.chunk", model);
        root.putArray("choices");
        root.set("usage", usage(promptTokens, completionTokens));
        return write(root);
    }

    /** {@code {"error":{"message":..,"type":..,"param":null,"code":..}}}; a null {@code code} becomes JSON null. */
    public static String errorEnvelope(String message, String type, String code) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return write(root);
    }

    /**
     * A complete stream: role chunk, one chunk per delta, finish chunk ({@code stop}), the usage chunk if
     * {@code withUsage} ({@link #DEFAULT_PROMPT_TOKENS} prompt tokens, one completion token per delta), then
     * {@code [DONE]}.
     */
    public static List<Frame> streamOf(String model, List<String> deltas, boolean withUsage) {
        return streamOf(model, deltas, withUsage ? DEFAULT_PROMPT_TOKENS : -1, deltas.size());
    }

    /**
     * Like {@link #streamOf(String, List, boolean)} with explicit usage numbers; a negative {@code promptTokens}
     * omits the usage chunk.
     */
    public static List<Frame> streamOf(String model, List<String> deltas, int promptTokens, int completionTokens) {
        List<Frame> frames = new ArrayList<>(deltas.size() + 4);
        frames.add(Frame.data(roleChunk(model)));
        for (String delta : deltas) {
            frames.add(Frame.data(chunk(model, delta)));
        }
        frames.add(Frame.data(finishChunk(model, "stop")));
        if (promptTokens >= 0) {
            frames.add(Frame.data(usageChunk(model, promptTokens, completionTokens)));
        }
        frames.add(Frame.done());
        return List.copyOf(frames);
    }

    private static String chunkWith(String model, ObjectNode delta, String finishReason) {
        ObjectNode root = envelope("chat.completion.chunk", model);
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return write(root);
    }

    private static ObjectNode envelope(String object, String model) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", ID);
        root.put("object", object);
        root.put("created", CREATED);
        root.put("model", model);
        root.put("system_fingerprint", FINGERPRINT);
        return root;
    }

    private static ObjectNode usage(int promptTokens, int completionTokens) {
        ObjectNode usage = MAPPER.createObjectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        return usage;
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
