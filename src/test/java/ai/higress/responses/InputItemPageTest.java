package ai.higress.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.higress.error.GatewayException;
import ai.higress.schema.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paging the input items of a stored response: orders, cursors both ways, limits and the 400s of a bad query. */
class InputItemPageTest {
    /** Five items in conversation order, a (oldest) to e. */
    private static final List<ObjectNode> ITEMS = List.of("a", "b", "c", "d", "e").stream()
            .map(id -> Json.object().put("id", id).put("type", "message")).toList();

    private static InputItemPage query(Map<String, String> params) {
        return InputItemPage.parse(name -> Optional.ofNullable(params.get(name)));
    }

    private static List<String> ids(JsonNode list) {
        return list.path("data").valueStream().map(item -> item.path("id").asText()).toList();
    }

    private static void assertPage(List<String> ids, boolean hasMore, JsonNode list) {
        assertEquals(ids, ids(list), list.toString());
        assertEquals(hasMore, list.path("has_more").asBoolean(), list.toString());
        assertEquals("list", list.path("object").asText());
        assertEquals(ids.isEmpty() ? "" : ids.getFirst(), list.path("first_id").asText());
        assertEquals(ids.isEmpty() ? "" : ids.getLast(), list.path("last_id").asText());
    }

    @Test
    void theDefaultIsTwentyNewestFirst() {
        InputItemPage page = query(Map.of());
        assertEquals(new InputItemPage(20, true, "", ""), page);
        assertPage(List.of("e", "d", "c", "b", "a"), false, page.answer(ITEMS));
    }

    @Test
    void pagesForwardInAscendingOrder() {
        assertPage(List.of("a", "b"), true, query(Map.of("order", "asc", "limit", "2")).answer(ITEMS));
        assertPage(List.of("c", "d"), true, query(Map.of("order", "asc", "limit", "2", "after", "b")).answer(ITEMS));
        assertPage(List.of("e"), false, query(Map.of("order", "asc", "limit", "2", "after", "d")).answer(ITEMS));
        assertPage(List.of(), false, query(Map.of("order", "asc", "after", "e")).answer(ITEMS));
    }

    @Test
    void pagesForwardInDescendingOrder() {
        assertPage(List.of("e", "d"), true, query(Map.of("limit", "2")).answer(ITEMS));
        assertPage(List.of("c", "b"), true, query(Map.of("limit", "2", "after", "d")).answer(ITEMS));
        assertPage(List.of("a"), false, query(Map.of("limit", "2", "after", "b")).answer(ITEMS));
    }

    @Test
    void beforeGivesTheItemsJustBeforeTheCursor() {
        assertPage(List.of("b", "c"), true, query(Map.of("order", "asc", "limit", "2", "before", "d")).answer(ITEMS));
        assertPage(List.of("a"), false, query(Map.of("order", "asc", "limit", "2", "before", "b")).answer(ITEMS));
        assertPage(List.of("e", "d", "c"), false, query(Map.of("before", "b")).answer(ITEMS));
        assertPage(List.of("d", "c"), true, query(Map.of("limit", "2", "before", "b")).answer(ITEMS));
    }

    @Test
    void afterAndBeforeTogetherBoundBothEnds() {
        assertPage(List.of("b", "c", "d"), false,
                query(Map.of("order", "asc", "after", "a", "before", "e")).answer(ITEMS));
        assertPage(List.of("b", "c"), true,
                query(Map.of("order", "asc", "limit", "2", "after", "a", "before", "e")).answer(ITEMS));
        assertPage(List.of(), false, query(Map.of("order", "asc", "after", "d", "before", "b")).answer(ITEMS));
    }

    @Test
    void limitsAtTheBoundsAreAccepted() {
        assertPage(List.of("e"), true, query(Map.of("limit", "1")).answer(ITEMS));
        assertEquals(100, query(Map.of("limit", "100")).limit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "ten", "", "2.5"})
    void aLimitOutsideOneToAHundredIsA400(String limit) {
        GatewayException error = assertThrows(GatewayException.class, () -> query(Map.of("limit", limit)));
        assertEquals(400, error.status());
        assertEquals(Optional.of("limit"), error.param());
    }

    @Test
    void anUnknownOrderOrCursorIsA400NamingIt() {
        GatewayException order = assertThrows(GatewayException.class, () -> query(Map.of("order", "newest")));
        assertEquals(Optional.of("order"), order.param());
        for (String cursor : List.of("after", "before")) {
            GatewayException error = assertThrows(GatewayException.class,
                    () -> query(Map.of(cursor, "msg_elsewhere")).answer(ITEMS));
            assertEquals(400, error.status());
            assertEquals(Optional.of(cursor), error.param());
            assertEquals(Optional.of("invalid_value"), error.code());
        }
    }
}
