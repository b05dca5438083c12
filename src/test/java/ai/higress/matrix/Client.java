package ai.higress.matrix;

import java.util.List;
import java.util.Map;

import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One ingress dialect as its clients speak it: the requests of every scenario, and strict readers of its answers,
 * streams and errors. A reader fails (AssertionError) on anything the dialect's own SDKs would choke on.
 */
public interface Client {

    WireProtocol protocol();

    /** The gateway path of this dialect. */
    String path();

    /** The headers this dialect's SDKs send with {@code key}: its credential header and any version header. */
    Map<String, String> headers(String key);

    /** "Say hello" with a system prompt, an output limit and (where the dialect has them) stop sequences. */
    ObjectNode text(String model, boolean stream);

    /** A question the model answers by calling both tools. */
    ObjectNode tools(String model, boolean stream);

    /** The next turn after {@code first} was answered with {@code answer}: both tools' results. */
    ObjectNode toolResults(ObjectNode first, Answer answer, boolean stream);

    /** A question about the image at {@code url}: a base64 {@code data:} URL or an {@code https} URL. */
    ObjectNode image(String model, String url);

    /** "Say hello", asking for the model's reasoning with a low effort (or the smallest thinking budget). */
    ObjectNode reasoning(String model, boolean stream);

    /** The parameter by which {@link #reasoning} asks for reasoning, as a refusal must name it. */
    String reasoningParam();

    /** Reads a JSON answer. */
    Answer json(String body);

    /** Reads a complete stream, checking it is well formed and ends with the dialect's own terminal event. */
    Answer stream(List<String> lines);

    /**
     * Checks that a stream ends with the dialect's error event, with nothing after it and no terminal event.
     *
     * @return the error's message
     */
    String streamError(List<String> lines);

    /**
     * Checks an error answer: its status, and its body in the dialect's envelope.
     *
     * @return the error's message
     */
    String error(int status, String body, int expectedStatus);
}
