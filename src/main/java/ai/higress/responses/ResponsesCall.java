package ai.higress.responses;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated Responses API request, before the conversation it continues has been looked up.
 *
 * @param body               the body as the client sent it
 * @param model              the model it asks for
 * @param instructions       the system text ({@code instructions}), which a continuation does not inherit
 * @param input              this request's input items, normalised
 * @param chatParameters     the chat-completions parameters it maps to, everything but the model, messages and stream
 * @param previousResponseId the response it continues
 * @param store              whether its answer is kept (the API's default is to keep it)
 * @param stream             whether the client asked for server-sent events
 */
public record ResponsesCall(ObjectNode body, String model, Optional<String> instructions, List<ObjectNode> input,
                            ObjectNode chatParameters, Optional<String> previousResponseId, boolean store,
                            boolean stream) {

    public ResponsesCall {
        input = List.copyOf(input);
    }
}
