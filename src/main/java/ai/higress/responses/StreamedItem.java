package ai.higress.responses;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One output item while a stream builds it: its place in the output, its id, and what it holds so far. */
final class StreamedItem {

    /** What an output item is. */
    enum Kind { MESSAGE, REASONING, FUNCTION_CALL }

    /** A content part of a message or reasoning item: its type and its text so far. */
    static final class Part {
        final String type;
        final int index;
        final StringBuilder text = new StringBuilder();

        Part(String type, int index) {
            this.type = type;
            this.index = index;
        }

        ObjectNode toJson() {
            return switch (type) {
                case "refusal" -> ResponseObjects.refusal(text.toString());
                case "reasoning_text" -> ResponseObjects.reasoningText(text.toString());
                default -> ResponseObjects.outputText(text.toString());
            };
        }
    }

    final Kind kind;
    final int outputIndex;
    final String id;
    final String callId;
    final StringBuilder name = new StringBuilder();
    final StringBuilder arguments = new StringBuilder();
    private final List<Part> parts = new ArrayList<>();
    private boolean partOpen;
    private String status = "in_progress";

    StreamedItem(Kind kind, int outputIndex, String id, String callId) {
        this.kind = kind;
        this.outputIndex = outputIndex;
        this.id = id;
        this.callId = callId;
    }

    boolean open() {
        return status.equals("in_progress");
    }

    void close(String finalStatus) {
        status = finalStatus;
    }

    /** The part being written, if one is. */
    Optional<Part> openPart() {
        return partOpen ? Optional.of(parts.getLast()) : Optional.empty();
    }

    Part startPart(String type) {
        Part part = new Part(type, parts.size());
        parts.add(part);
        partOpen = true;
        return part;
    }

    void endPart() {
        partOpen = false;
    }

    /** The item as the output lists it now. */
    ObjectNode toJson() {
        return switch (kind) {
            case MESSAGE -> ResponseObjects.message(id, status, parts.stream().map(Part::toJson).toList());
            case REASONING -> ResponseObjects.reasoning(id, status, parts.stream().map(Part::toJson).toList());
            case FUNCTION_CALL -> ResponseObjects.functionCall(id, status, callId, name.toString(),
                    arguments.toString());
        };
    }
}
