package ai.higress.matrix;

import java.util.List;

import ai.higress.schema.WireProtocol;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

/**
 * One upstream protocol: the provider configuration that points the gateway at a scripted upstream, that protocol's
 * hand-written answers (fixtures under {@code fixtures/matrix/<dir>/}: {@code text}, {@code tools} and
 * {@code reasoning} as {@code .json} and {@code .sse}, {@code error-mid.sse}, {@code bad-request.json}), and a reader
 * of the requests the gateway sent it.
 */
public abstract class Upstream {
    private final String dir;

    protected Upstream(String dir) {
        this.dir = dir;
    }

    /** The dialect this upstream speaks. */
    public abstract WireProtocol protocol();

    /** The provider id in the gateway's configuration. */
    public abstract String provider();

    /** The provider's configuration entry (one line of YAML) for {@code server}. */
    public abstract String yaml(ScriptedUpstream server);

    /** The upstream model name the provider serves. */
    public abstract String model();

    /** The logical model the clients ask for. */
    public String alias() {
        return "m-" + provider();
    }

    /** The request path (and query) the gateway must use. */
    public abstract String path(boolean stream);

    /** Whether this protocol streams a tool call's arguments in pieces (else each call arrives whole). */
    public abstract boolean fragmentsArguments();

    /** The text the model says before calling the tools, empty when it says nothing. */
    public abstract String toolPreamble();

    /** The ids the client must see for the two tool calls of {@code tools.json} or {@code tools.sse}. */
    public abstract List<String> callIds(boolean stream);

    /** Input tokens the text answers report as written to a prompt cache (only Anthropic reports them). */
    public long cacheWrites() {
        return 0;
    }

    /** How the reasoning requests must arrive ({@link Sent#reasoning()}). */
    public abstract String reasoning();

    /** A distinctive part of the message of {@code bad-request.json}, which the client must be shown. */
    public abstract String badRequestHint();

    /** What the gateway sent, read in this protocol's terms. */
    public abstract Sent read(RecordedRequest request);

    public Step text(boolean stream) {
        return answer("text", stream);
    }

    /** The text answer, cut short by the output limit. */
    public Step cutShort(boolean stream) {
        String name = "text." + (stream ? "sse" : "json");
        String text = cutShort(Wire.fixture(dir + "/" + name));
        if (text.equals(Wire.fixture(dir + "/" + name))) {
            throw new IllegalStateException("the stop reason of " + dir + "/" + name + " was not replaced");
        }
        return stream ? Step.sse(Wire.framesOf(text)) : Step.json(200, text);
    }

    /** {@code text} (the text fixture) with this protocol's stop reason for an exhausted output limit. */
    protected abstract String cutShort(String text);

    public Step tools(boolean stream) {
        return answer("tools", stream);
    }

    public Step reasoningAnswer(boolean stream) {
        return answer("reasoning", stream);
    }

    public Step midStreamError() {
        return Step.sse(Wire.frames(dir + "/error-mid.sse"));
    }

    public Step badRequest() {
        return Step.json(400, Wire.fixture(dir + "/bad-request.json"));
    }

    /** The body of a fixture answer as the upstream sends it. */
    public String body(String name) {
        return Wire.fixture(dir + "/" + name + ".json");
    }

    /** The events of a fixture stream as the upstream sends them. */
    public List<Wire.Event> events(String name) {
        return Wire.events(List.of(Wire.fixture(dir + "/" + name + ".sse").split("\n", -1)));
    }

    private Step answer(String name, boolean stream) {
        return stream ? Step.sse(Wire.frames(dir + "/" + name + ".sse"))
                : Step.json(200, Wire.fixture(dir + "/" + name + ".json"));
    }

    @Override
    public String toString() {
        return provider();
    }
}
