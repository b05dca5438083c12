package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ai.higress.MatrixGateway.Reply;
import ai.higress.matrix.AnthropicUpstream;
import ai.higress.matrix.Answer;
import ai.higress.matrix.ChatClient;
import ai.higress.matrix.Client;
import ai.higress.matrix.GeminiUpstream;
import ai.higress.matrix.MessagesClient;
import ai.higress.matrix.OpenAiUpstream;
import ai.higress.matrix.ResponsesClient;
import ai.higress.matrix.ResponsesUpstream;
import ai.higress.matrix.Script;
import ai.higress.matrix.Sent;
import ai.higress.matrix.Upstream;
import ai.higress.matrix.Wire;
import ai.higress.schema.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ingress dialect (OpenAI chat, Anthropic Messages, OpenAI Responses) against every upstream protocol (OpenAI
 * chat, Anthropic, Gemini, and for Responses clients also a provider serving the Responses API itself), over real
 * sockets, with each upstream scripted in its own wire format (fixtures/matrix). Each pairing is checked on normalised
 * values ({@link Answer} on the client side, {@link Sent} on the upstream side): a plain answer, a parallel tool-call
 * round trip, reasoning, an image, a bad request before any output and an error in the middle of a stream, JSON and
 * streamed, and an answer cut short by the output limit. Same-protocol pairs must take the fast path. One gateway
 * ({@link MatrixGateway}) serves every case; docs/protocols.md#protocol-matrix describes what is checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolMatrixServerTest {
    private static final List<Client> CLIENTS = List.of(new ChatClient(), new MessagesClient(), new ResponsesClient());
    private static final List<Upstream> UPSTREAMS = List.of(new OpenAiUpstream(), new AnthropicUpstream(),
            new GeminiUpstream(), new ResponsesUpstream());

    private MatrixGateway gateway;

    @BeforeAll
    void start() {
        gateway = new MatrixGateway(UPSTREAMS);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @BeforeEach
    void emptyScripts() {
        gateway.clearScripts();
    }

    /** Each client with each upstream it can reach in its own way; the Responses API provider only for Responses. */
    static Stream<Arguments> pairings() {
        List<Arguments> pairings = new ArrayList<>();
        for (Client client : CLIENTS) {
            for (Upstream upstream : UPSTREAMS) {
                if (!(upstream instanceof ResponsesUpstream) || client.protocol() == WireProtocol.OPENAI_RESPONSES) {
                    pairings.add(Arguments.of(client, upstream));
                }
            }
        }
        return pairings.stream();
    }

    static Stream<Arguments> pairingsJsonAndStream() {
        return pairings().flatMap(pair -> Stream.of(false, true)
                .map(stream -> Arguments.of(pair.get()[0], pair.get()[1], stream)));
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("pairingsJsonAndStream")
    void aPlainAnswerArrivesInTheClientsDialect(Client client, Upstream upstream, boolean stream) {
        Reply reply = gateway.send(client, upstream, client.text(upstream.alias(), stream), stream,
                upstream.text(stream));

        Answer answer = reply.answer(client, stream);
        assertEquals(Script.ANSWER, answer.text());
        assertEquals(Answer.Stop.END, answer.stop());
        assertEquals(Script.usage(upstream), answer.usage(), "usage, prompt cache reads and writes included");
        assertTrue(answer.calls().isEmpty());
        assertEquals(upstream.provider(), reply.response().headers().firstValue("x-higress-provider").orElseThrow());

        Sent sent = upstream.read(reply.only());
        assertEquals(upstream.path(stream), sent.path());
        assertEquals(upstream.model(), sent.model());
        assertEquals(Script.SYSTEM, sent.system());
        assertEquals(Script.HELLO, sent.lastUser());
        assertEquals(Script.MAX_TOKENS, sent.maxTokens());
        // the Responses API has no stop sequences
        assertEquals(client.protocol() == WireProtocol.OPENAI_RESPONSES ? List.of() : List.of(Script.STOP),
                sent.stop());
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("pairingsJsonAndStream")
    void anAnswerCutShortByTheOutputLimitSaysSo(Client client, Upstream upstream, boolean stream) {
        Reply reply = gateway.send(client, upstream, client.text(upstream.alias(), stream), stream,
                upstream.cutShort(stream));

        Answer answer = reply.answer(client, stream);
        assertEquals(Answer.Stop.MAX_TOKENS, answer.stop());
        assertEquals(Script.ANSWER, answer.text(), "what was written before the limit is kept");
    }

    /** The pairs whose client and upstream speak one protocol. */
    static Stream<Arguments> sameProtocol() {
        return pairingsJsonAndStream().filter(pair -> ((Client) pair.get()[0]).protocol()
                == ((Upstream) pair.get()[1]).protocol());
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("sameProtocol")
    void aSameProtocolPairTakesTheFastPath(Client client, Upstream upstream, boolean stream) {
        ObjectNode body = client.text(upstream.alias(), stream);
        Reply reply = gateway.send(client, upstream, body, stream, upstream.text(stream));

        assertEquals(200, reply.status(), reply.body());
        // compared as parsed text: a long written by the client reads back as an int
        assertEquals(Wire.tree(Wire.text(body.deepCopy().put("model", upstream.model()))), reply.only().json(),
                "the client's own body with only the model replaced");
        if (stream) {
            assertEquals(upstream.events("text"), Wire.events(reply.lines()), "every event relayed untouched");
        } else {
            assertEquals(upstream.body("text"), reply.body(), "the answer relayed byte for byte");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("pairingsJsonAndStream")
    void parallelToolCallsAndTheirResultsRoundTrip(Client client, Upstream upstream, boolean stream) {
        ObjectNode first = client.tools(upstream.alias(), stream);
        Answer calling = gateway.send(client, upstream, first, stream, upstream.tools(stream))
                .answer(client, stream);

        assertEquals(Answer.Stop.TOOL_USE, calling.stop());
        assertEquals(upstream.toolPreamble(), calling.text());
        assertEquals(List.of(Script.WEATHER, Script.TIME), calling.calls().stream().map(Answer.Call::name).toList());
        assertEquals(List.of(Script.WEATHER_ARGS, Script.TIME_ARGS),
                calling.calls().stream().map(Answer.Call::arguments).toList());
        assertEquals(upstream.callIds(stream), calling.calls().stream().map(Answer.Call::id).toList(),
                "the client answers the calls by the ids it was given");
        for (Answer.Call call : calling.calls()) {
            // incremental pieces where the upstream streams them; Gemini sends each call whole
            assertTrue(upstream.fragmentsArguments() && stream ? call.fragments() > 1 : call.fragments() == 1,
                    call + " arrived in " + call.fragments() + " pieces");
        }

        Reply reply = gateway.send(client, upstream, client.toolResults(first, calling, stream), stream,
                upstream.text(stream));
        assertEquals(Script.ANSWER, reply.answer(client, stream).text());
        Sent sent = upstream.read(reply.only());
        assertEquals(List.of(Script.WEATHER, Script.TIME), sent.calls().stream().map(Answer.Call::name).toList(),
                "the assistant's calls are replayed");
        assertEquals(List.of(Script.WEATHER_ARGS, Script.TIME_ARGS),
                sent.calls().stream().map(Answer.Call::arguments).toList());
        if (upstream.protocol() != WireProtocol.GEMINI) {
            assertEquals(upstream.callIds(stream), sent.calls().stream().map(Answer.Call::id).toList(),
                    "the upstream gets back the ids it issued");
        }
        assertEquals(2, sent.results().size(), sent.results().toString());
        for (Sent.Result result : sent.results()) {
            assertEquals(Script.RESULTS.get(sent.callOf(result).name()), result.output(), result.toString());
        }
        if (upstream instanceof ResponsesUpstream) {
            assertFalse(reply.only().json().has("previous_response_id"),
                    "the gateway holds the previous response: the whole conversation is sent instead");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("pairingsJsonAndStream")
    void reasoningCrossesDialects(Client client, Upstream upstream, boolean stream) {
        Reply reply = gateway.send(client, upstream, client.reasoning(upstream.alias(), stream), stream,
                upstream.reasoningAnswer(stream));

        Answer answer = reply.answer(client, stream);
        assertEquals(Script.REASONING, answer.reasoning());
        assertEquals(Script.ANSWER, answer.text());
        Sent sent = upstream.read(reply.only());
        assertEquals(upstream.reasoning(), sent.reasoning());
        assertEquals(Script.REASONING_MAX_TOKENS, sent.maxTokens());
    }

    static Stream<Arguments> pairingsAndImages() {
        return pairings().flatMap(pair -> Stream.of(Wire.PNG_URL, Wire.IMAGE_HTTPS_URL)
                .map(url -> Arguments.of(pair.get()[0], pair.get()[1], url)));
    }

    @ParameterizedTest(name = "{0} -> {1}, {2}")
    @MethodSource("pairingsAndImages")
    void anImageReachesTheUpstreamInItsForm(Client client, Upstream upstream, String url) {
        Reply reply = gateway.send(client, upstream, client.image(upstream.alias(), url), false,
                upstream.text(false));

        assertEquals(Script.ANSWER, reply.answer(client, false).text());
        Sent sent = upstream.read(reply.only());
        assertEquals(Script.ASK_IMAGE, sent.lastUser());
        assertEquals(List.of(url), sent.images());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairings")
    void anErrorInTheMiddleOfAStreamEndsItWithTheClientsErrorEvent(Client client, Upstream upstream) {
        Reply reply = gateway.send(client, upstream, client.text(upstream.alias(), true), true,
                upstream.midStreamError());

        assertEquals(200, reply.status(), "the stream was committed before the error");
        assertFalse(client.streamError(reply.lines()).isBlank());
        reply.only();
    }

    @ParameterizedTest(name = "{0} -> {1}, stream {2}")
    @MethodSource("pairingsJsonAndStream")
    void anUpstreamBadRequestComesBackInTheClientsErrorFormat(Client client, Upstream upstream, boolean stream) {
        Reply reply = gateway.send(client, upstream, client.text(upstream.alias(), stream), stream,
                upstream.badRequest());

        String message = client.error(reply.status(), reply.body(), 400);
        assertTrue(message.contains(upstream.badRequestHint()), "the upstream's message reaches the client: "
                + message);
        assertTrue(reply.response().headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        reply.only();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void aVendorThatKnowsOnlyMaxTokensIsSentTheLimitUnderThatName(Client client) {
        Upstream openai = UPSTREAMS.getFirst();
        Reply reply = gateway.send(client, openai, client.text(MatrixGateway.LEGACY, false), false,
                openai.text(false));

        assertEquals(Script.ANSWER, reply.answer(client, false).text());
        JsonNode sent = reply.only().json();
        assertEquals(Script.MAX_TOKENS, sent.path("max_tokens").asLong(), sent.toString());
        assertFalse(sent.has("max_completion_tokens"), "Mistral refuses the newer name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void reasoningAskedOfAModelWithoutItIsRefusedInTheClientsTerms(Client client) {
        Reply reply = gateway.send(client, UPSTREAMS.getFirst(), client.reasoning(MatrixGateway.PLAIN, false),
                false);

        String message = client.error(reply.status(), reply.body(), 400);
        assertTrue(message.contains("does not support reasoning (" + client.reasoningParam() + ")"), message);
        if (client.protocol() != WireProtocol.ANTHROPIC_MESSAGES) {
            assertEquals(client.reasoningParam(), reply.json().path("error").path("param").asText(), reply.body());
        }
        assertTrue(reply.sent().isEmpty(), "no upstream is asked");
    }

    static Stream<Client> clients() {
        return CLIENTS.stream();
    }
}
