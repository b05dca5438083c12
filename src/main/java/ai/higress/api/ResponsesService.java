package ai.higress.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.higress.auth.Caller;
import ai.higress.error.GatewayException;
import ai.higress.observe.Exchange;
import ai.higress.responses.InputItemPage;
import ai.higress.responses.ResponsesCall;
import ai.higress.responses.ResponsesRequests;
import ai.higress.responses.StoredResponses;
import ai.higress.routing.ChatDispatcher;
import ai.higress.routing.RoutePlan;
import ai.higress.schema.ChatRequest;
import ai.higress.schema.ChatRequestParser;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The OpenAI Responses API: {@code POST /v1/responses} (JSON and server-sent events), {@code GET} / {@code DELETE
 * /v1/responses/{id}} and {@code GET /v1/responses/{id}/input_items} for the responses the gateway stored, also
 * without the {@code /v1} prefix. Another key's response is a 404, exactly like a missing one.
 */
final class ResponsesService implements HttpService {
    /** Answer texts for session snippets: the message items' output text, or the text delta events. */
    static final AnswerText ANSWER_TEXT = new AnswerText() {
        @Override
        public Optional<String> ofBody(byte[] body) {
            try {
                StringBuilder text = new StringBuilder();
                for (JsonNode item : Json.MAPPER.readTree(body).path("output")) {
                    for (JsonNode part : item.path("content")) {
                        if ("output_text".equals(part.path("type").asText())) {
                            text.append(part.path("text").asText(""));
                        }
                    }
                }
                return text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<String> ofEvent(String data) {
            try {
                JsonNode event = Json.MAPPER.readTree(data);
                if ("response.output_text.delta".equals(event.path("type").asText())) {
                    return Optional.of(event.path("delta").asText(""));
                }
            } catch (IOException | RuntimeException e) {
                // a cut-off or foreign event carries no text
            }
            return Optional.empty();
        }
    };

    private final ChatPipeline pipeline;
    private final ChatDispatcher dispatcher;
    private final StoredResponses stored;
    private final long maxRequestBytes;
    private final int maxStoredBytes;

    ResponsesService(ChatPipeline pipeline, ChatDispatcher dispatcher, StoredResponses stored, long maxRequestBytes,
                     int maxStoredBytes) {
        this.pipeline = pipeline;
        this.dispatcher = dispatcher;
        this.stored = stored;
        this.maxRequestBytes = maxRequestBytes;
        this.maxStoredBytes = maxStoredBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String prefix : new String[] {"/v1", ""}) {
            String path = prefix + "/responses";
            rules.post(path, this::create);
            rules.any(path, (req, res) -> {
                throw GatewayException.methodNotAllowed(req.prologue().method().text(), path);
            });
            rules.get(path + "/{id}", this::read);
            rules.get(path + "/{id}/input_items", this::inputItems);
            rules.delete(path + "/{id}", this::delete);
        }
    }

    private void create(ServerRequest req, ServerResponse res) {
        Exchange exchange = Exchanges.of(req);
        exchange.route("responses");
        Optional<String> sessionId = pipeline.sessionId(req);
        ResponsesCall call = ResponsesRequests.read(ChatRequestParser.readObject(
                RequestBodies.read(req, maxRequestBytes)));
        String owner = Callers.of(req).keyId();
        Optional<List<ObjectNode>> history = call.previousResponseId()
                .flatMap(id -> stored.conversation(owner, id));
        ChatRequest request = ResponsesRequests.toChat(call, history);
        AnswerListener listener = AnswerListener.NONE;
        if (request.features().upstreamState()) {
            requireUpstreamHolder(request, Callers.of(req), call.previousResponseId().orElseThrow());
            if (call.store()) {
                listener = ResponseRecorder.claiming(stored, owner, maxStoredBytes);
            }
        } else if (call.store()) {
            List<ObjectNode> conversation = new ArrayList<>(history.orElse(List.of()));
            conversation.addAll(call.input());
            listener = ResponseRecorder.storing(stored, owner, conversation, maxStoredBytes);
        }
        pipeline.serve(req, res, request, sessionId, ANSWER_TEXT, listener);
    }

    /**
     * A previous response the gateway does not hold may be held by an upstream that serves the Responses API itself;
     * the router keeps only such targets. When the model has none, or the gateway handed that id to another key (the
     * upstream would continue it for anyone holding the provider's credential), the id is simply unknown.
     */
    private void requireUpstreamHolder(ChatRequest request, Caller caller, String previousId) {
        if (!caller.mayUse(request.model())) {
            return; // the dispatcher answers as for an unknown model, revealing nothing
        }
        RoutePlan plan = dispatcher.explain(request.model(), request.features());
        if (plan.targets().isEmpty() && plan.lastResort().isEmpty()
                || stored.claimedByAnother(caller.keyId(), previousId)) {
            throw GatewayException.invalidRequest("Previous response with id '" + previousId + "' not found.",
                    "previous_response_id", "previous_response_not_found");
        }
    }

    private void read(ServerRequest req, ServerResponse res) {
        Exchanges.of(req).route("responses.stored");
        if (req.query().first("stream").map(Boolean::parseBoolean).orElse(false)) {
            throw GatewayException.invalidRequest("Streaming a stored response is not supported by this gateway.",
                    "stream", "unsupported_value");
        }
        JsonNode response = stored.response(Callers.of(req).keyId(), req.path().pathParameters().get("id"));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(response));
    }

    private void inputItems(ServerRequest req, ServerResponse res) {
        Exchanges.of(req).route("responses.stored");
        InputItemPage page = InputItemPage.parse(name -> req.query().first(name).asOptional());
        JsonNode list = stored.inputItems(Callers.of(req).keyId(), req.path().pathParameters().get("id"), page);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(list));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Exchanges.of(req).route("responses.stored");
        String id = req.path().pathParameters().get("id");
        stored.delete(Callers.of(req).keyId(), id);
        ObjectNode deleted = Json.object();
        deleted.put("id", id);
        deleted.put("object", "response");
        deleted.put("deleted", true);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.bytes(deleted));
    }
}
