package ai.higress.responses;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One page of {@code GET /v1/responses/{id}/input_items}, as its query asked for it: at most {@code limit} items, in
 * the conversation's order or newest first, starting after item {@code after} and stopping before item
 * {@code before} (an empty string: no such bound). With only {@code before}, the page is the items just before it,
 * so a client can page back from any item; {@code has_more} then says whether earlier ones remain.
 *
 * @param limit      1 to 100
 * @param descending newest first (the API's default)
 * @param after      an item id, or empty
 * @param before     an item id, or empty
 */
public record InputItemPage(int limit, boolean descending, String after, String before) {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final List<String> ORDERS = List.of("asc", "desc");

    /** Reads and validates the query parameters; a 400 naming the parameter when one is invalid. */
    public static InputItemPage parse(Function<String, Optional<String>> query) {
        int limit = query.apply("limit").map(InputItemPage::limit).orElse(DEFAULT_LIMIT);
        String order = query.apply("order").orElse("desc");
        if (!ORDERS.contains(order)) {
            throw RequestErrors.value("order", order, ORDERS);
        }
        return new InputItemPage(limit, order.equals("desc"), query.apply("after").orElse(""),
                query.apply("before").orElse(""));
    }

    private static int limit(String text) {
        int limit;
        try {
            limit = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RequestErrors.outOfRange("limit", text, 1, MAX_LIMIT);
        }
        return limit;
    }

    /** The list object answering this page over {@code items}, which carry their ids, in the conversation's order. */
    ObjectNode answer(List<ObjectNode> items) {
        List<ObjectNode> ordered = descending ? items.reversed() : items;
        int from = after.isEmpty() ? 0 : indexOf(ordered, after, "after") + 1;
        int to = before.isEmpty() ? ordered.size() : indexOf(ordered, before, "before");
        List<ObjectNode> window = ordered.subList(Math.min(from, to), to);
        boolean fromTheEnd = !before.isEmpty() && after.isEmpty();
        List<ObjectNode> data = window.size() <= limit ? window
                : fromTheEnd ? window.subList(window.size() - limit, window.size()) : window.subList(0, limit);
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode array = list.putArray("data");
        data.forEach(array::add);
        // the schema wants strings; an empty page has no item to name
        list.put("first_id", data.isEmpty() ? "" : data.getFirst().path("id").asText());
        list.put("last_id", data.isEmpty() ? "" : data.getLast().path("id").asText());
        list.put("has_more", window.size() > data.size());
        return list;
    }

    private static int indexOf(List<ObjectNode> items, String id, String param) {
        for (int i = 0; i < items.size(); i++) {
            if (id.equals(items.get(i).path("id").asText())) {
                return i;
            }
        }
        throw RequestErrors.unknownItem(param, id);
    }
}
