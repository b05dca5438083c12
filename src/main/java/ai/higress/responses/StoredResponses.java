package ai.higress.responses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import ai.higress.config.ResponsesConfig;
import ai.higress.error.ErrorType;
import ai.higress.error.GatewayException;
import ai.higress.redis.RedisUnavailableException;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Responses as the request path keeps them: each record holds the Response object as it was sent (for
 * {@code GET /v1/responses/{id}}) and the whole conversation up to and including its output, as normalised input
 * items. A continuation therefore needs one read, and never depends on an older record that may have expired. Storing
 * never fails a request: a failure is logged and metered, and only continuing from that response is then impossible.
 */
public final class StoredResponses {
    private static final Logger LOG = Logger.getLogger(StoredResponses.class.getName());
    /** Ids the gateway looks up; anything else cannot be one it stored. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");
    private static final Set<String> FINISHED = Set.of("completed", "incomplete");

    private final ResponsesConfig config;
    private final ResponseStore store;
    private final ResponseStoreListener listener;
    private final Supplier<String> ids = ResponsesCodec.randomIds();

    public StoredResponses(ResponsesConfig config, ResponseStore store, ResponseStoreListener listener) {
        this.config = config;
        this.store = store;
        this.listener = listener;
    }

    /**
     * Keeps {@code response}, a finished Response object as the client received it, which answered
     * {@code conversation} (the input items it was given, history included).
     */
    public void save(String owner, JsonNode response, List<ObjectNode> conversation) {
        String id = response.path("id").asText("");
        if (!ID.matcher(id).matches() || !FINISHED.contains(response.path("status").asText(""))
                || !claimed(owner, id)) {
            return;
        }
        ObjectNode record = Json.object();
        record.set("response", response);
        ArrayNode items = record.putArray("conversation");
        conversation.forEach(item -> items.add(ItemResources.identified(item, ids)));
        // what went into the response, for its input_items; its replayed output follows
        record.put("inputs", conversation.size());
        InputItems.ofOutput(response.path("output")).forEach(item -> items.add(ItemResources.identified(item, ids)));
        String text = Json.text(record);
        if (text.getBytes(StandardCharsets.UTF_8).length > config.maxStoredBytes()) {
            listener.tooLarge();
            LOG.log(Level.INFO, "response " + id + " is larger than responses.max-stored-bytes; it is not stored");
            return;
        }
        try {
            store.put(owner, id, text, config.storeTtl());
            listener.stored();
        } catch (RedisUnavailableException e) {
            failed("put", e);
        }
    }

    /**
     * Notes only whose {@code response} is, without its conversation: for an answer continuing a response an upstream
     * holds, whose earlier turns the gateway never saw.
     */
    public void claim(String owner, JsonNode response) {
        String id = response.path("id").asText("");
        if (ID.matcher(id).matches()) {
            claimed(owner, id);
        }
    }

    /**
     * Whether response {@code id} was handed to another key. An upstream may hold such a response too, and must not be
     * asked to continue it for this key.
     *
     * @throws GatewayException 503 when the store cannot be read: whose it is cannot be told without it
     */
    public boolean claimedByAnother(String owner, String id) {
        try {
            return ID.matcher(id).matches() && store.claimant(id).filter(claimant -> !claimant.equals(owner))
                    .isPresent();
        } catch (RedisUnavailableException e) {
            failed("claimant", e);
            throw unavailable();
        }
    }

    /** Claims {@code id} for {@code owner} first: a record whose claim failed is not kept either. */
    private boolean claimed(String owner, String id) {
        try {
            store.claim(id, owner, config.storeTtl());
            return true;
        } catch (RedisUnavailableException e) {
            failed("claim", e);
            return false;
        }
    }

    /**
     * The conversation a continuation of response {@code id} starts from; empty when the gateway does not hold it
     * (never stored, expired, deleted, or another key's).
     *
     * @throws GatewayException 503 when the store cannot be read: the conversation cannot be rebuilt without it
     */
    public Optional<List<ObjectNode>> conversation(String owner, String id) {
        return record(owner, id).map(record -> {
            List<ObjectNode> items = new ArrayList<>();
            record.path("conversation").forEach(item -> items.add((ObjectNode) item));
            return items;
        });
    }

    /** The stored Response object; a 404 when there is none for this key. */
    public JsonNode response(String owner, String id) {
        return record(owner, id).map(record -> record.get("response")).orElseThrow(() -> notFound(id));
    }

    /**
     * A page of the input items of response {@code id} (its conversation up to, not including, its own output), as
     * the API's list object; a 404 when there is none for this key.
     */
    public ObjectNode inputItems(String owner, String id, InputItemPage page) {
        JsonNode record = record(owner, id).orElseThrow(() -> notFound(id));
        JsonNode conversation = record.path("conversation");
        // a record written before it counted its inputs: its replayed output is what ofOutput makes of the response
        int inputs = record.path("inputs").asInt(conversation.size()
                - InputItems.ofOutput(record.path("response").path("output")).size());
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            ObjectNode item = (ObjectNode) conversation.get(i);
            // such an older record's items have no ids either: their place names them, stably
            items.add(ItemResources.resource(item, item.path("id").asText("item_" + i + "_" + id)));
        }
        return page.answer(items);
    }

    /** Forgets response {@code id}; a 404 when there is none for this key. */
    public void delete(String owner, String id) {
        boolean removed;
        try {
            removed = ID.matcher(id).matches() && store.delete(owner, id);
        } catch (RedisUnavailableException e) {
            failed("delete", e);
            throw unavailable();
        }
        if (!removed) {
            throw notFound(id);
        }
    }

    private Optional<JsonNode> record(String owner, String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Optional<String> text;
        try {
            text = store.get(owner, id);
        } catch (RedisUnavailableException e) {
            failed("get", e);
            throw unavailable();
        }
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(Json.MAPPER.readTree(text.get()));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "stored response " + id + " cannot be read; treating it as absent");
            return Optional.empty();
        }
    }

    private void failed(String operation, RuntimeException e) {
        listener.storeError(operation);
        LOG.log(Level.WARNING, "response store " + operation + " failed: " + e.getMessage());
    }

    private static GatewayException notFound(String id) {
        return GatewayException.notFound("Response with id '" + id + "' not found.");
    }

    private static GatewayException unavailable() {
        return new GatewayException(503, ErrorType.SERVER, "The response store is unavailable.", Optional.empty(),
                Optional.of("response_store_unavailable"));
    }
}
