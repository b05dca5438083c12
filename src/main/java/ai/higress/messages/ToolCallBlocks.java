package ai.higress.messages;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The tool calls of one streamed answer, by their chat {@code index}, in order of first appearance. Anthropic's
 * content blocks cannot interleave, but some OpenAI-compatible servers interleave the argument deltas of parallel
 * calls; a call whose deltas arrive while another call's block is open waits here, its arguments gathered, until that
 * block can close (its arguments are a complete JSON object) or the answer ends.
 */
final class ToolCallBlocks {

    /** One call: its {@code tool_use} block and its arguments so far. */
    static final class Call {
        final ObjectNode block;
        final StringBuilder arguments = new StringBuilder();
        boolean started;
        boolean closed;

        private Call(ObjectNode block) {
            this.block = block;
        }

        /** Whether the arguments so far are a whole JSON object, so no more can belong to them. */
        boolean complete() {
            try {
                JsonNode parsed = Json.MAPPER.readTree(arguments.toString());
                return parsed != null && parsed.isObject();
            } catch (IOException e) {
                return false;
            }
        }
    }

    private final Map<Integer, Call> calls = new LinkedHashMap<>();

    /**
     * Adds one delta of the call {@code key}.
     *
     * @throws ai.higress.error.UpstreamException of kind PROTOCOL when a call continues after its block was closed
     */
    Call add(int key, String id, String name, String arguments) {
        Call call = calls.get(key);
        if (call == null) {
            ObjectNode block = Json.object().put("type", "tool_use").put("id", id).put("name", name);
            block.putObject("input");
            call = new Call(block);
            calls.put(key, call);
        } else if (call.closed && !arguments.isEmpty()) {
            throw AnthropicWire.protocolError("tool call " + key + " continued after its arguments were complete");
        } else if (!call.started && call.block.path("name").asText().isEmpty() && !name.isEmpty()) {
            call.block.put("name", name);
        }
        call.arguments.append(arguments);
        return call;
    }

    /** The first call that has not had its block yet. */
    Optional<Call> waiting() {
        return calls.values().stream().filter(call -> !call.started).findFirst();
    }
}
