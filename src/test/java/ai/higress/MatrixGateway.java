package ai.higress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.higress.matrix.Answer;
import ai.higress.matrix.Client;
import ai.higress.matrix.Upstream;
import ai.higress.matrix.Wire;
import ai.higress.testing.RecordedRequest;
import ai.higress.testing.ScriptedUpstream;
import ai.higress.testing.Step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one gateway of {@link ProtocolMatrixServerTest}: a scripted server per upstream protocol, a provider and a
 * logical model ({@link Upstream#alias()}) for each, and two more models on the OpenAI server's script:
 * {@link #LEGACY}, a vendor that knows only {@code max_tokens}, and {@link #PLAIN}, a model without reasoning.
 */
final class MatrixGateway implements AutoCloseable {
    static final String LEGACY = "m-legacy";
    static final String PLAIN = "m-plain";

    private final Map<Upstream, ScriptedUpstream> servers = new LinkedHashMap<>();
    private final TestGateway gateway;

    MatrixGateway(List<Upstream> upstreams) {
        StringBuilder yaml = new StringBuilder("providers:\n");
        StringBuilder models = new StringBuilder("models:\n");
        for (Upstream upstream : upstreams) {
            ScriptedUpstream server = ScriptedUpstream.start();
            servers.put(upstream, server);
            yaml.append("  ").append(upstream.yaml(server)).append('\n');
            models.append(model(upstream.alias(), upstream.provider(), upstream.model()));
        }
        String openai = servers.get(upstreams.getFirst()).baseUri().toString();
        yaml.append("  legacy: {type: openai, preset: mistral, base-url: \"").append(openai)
                .append("\", api-key: sk-matrix-legacy, models: [mistral-small-latest]}\n");
        models.append(model(LEGACY, "legacy", "mistral-small-latest"));
        yaml.append("  plain: {type: openai, base-url: \"").append(openai)
                .append("\", api-key: sk-matrix-plain, models: [{name: gpt-4o, reasoning: false}]}\n");
        models.append(model(PLAIN, "plain", "gpt-4o"));
        gateway = TestGateway.start(yaml + models.toString() + """
                timeouts: {connect: PT2S, first-token: PT10S, idle: PT10S, request: PT20S, stream: PT30S}
                routing: {health: {consecutive-failures: 1000, min-requests: 1000}}
                """);
    }

    private static String model(String alias, String provider, String model) {
        return "  " + alias + ": {targets: [{provider: " + provider + ", model: " + model + "}]}\n";
    }

    /** Drops what an earlier, failed case left in the scripts. */
    void clearScripts() {
        servers.values().forEach(ScriptedUpstream::clearScript);
    }

    /**
     * Scripts {@code upstream} with {@code steps}, sends {@code body} as {@code client} sends it, and returns the
     * answer with the upstream requests it caused; every step must have been used.
     */
    Reply send(Client client, Upstream upstream, ObjectNode body, boolean stream, Step... steps) {
        ScriptedUpstream server = servers.get(upstream);
        int before = server.callCount();
        List.of(steps).forEach(server::enqueue);
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(client.path()))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Wire.text(body)));
        client.headers(TestGateway.KEY).forEach(request::header);
        HttpResponse<?> response;
        String text;
        List<String> lines = List.of();
        if (stream) {
            TestGateway.StreamedResponse streamed = gateway.stream(request.build());
            response = streamed.response();
            text = streamed.body();
            lines = streamed.lines();
        } else {
            HttpResponse<String> answered = gateway.send(request.build());
            response = answered;
            text = answered.body();
        }
        assertEquals(0, server.pendingSteps(), "the upstream was not called");
        return new Reply(response, text, lines, server.requests().subList(before, server.callCount()));
    }

    @Override
    public void close() {
        gateway.close();
        servers.values().forEach(ScriptedUpstream::close);
    }

    /** The client's side of one exchange, and the upstream requests it caused. */
    record Reply(HttpResponse<?> response, String body, List<String> lines, List<RecordedRequest> sent) {
        int status() {
            return response.statusCode();
        }

        Answer answer(Client client, boolean stream) {
            assertEquals(200, status(), body);
            return stream ? client.stream(lines) : client.json(body);
        }

        /** The one upstream request: nothing was retried. */
        RecordedRequest only() {
            assertEquals(1, sent.size(), "upstream calls: " + sent);
            return sent.getFirst();
        }

        JsonNode json() {
            return Wire.tree(body);
        }
    }
}
