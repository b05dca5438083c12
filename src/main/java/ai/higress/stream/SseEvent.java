package ai.higress.stream;

/**
 * One server-sent event.
 *
 * @param event the event name, empty when the stream did not name it
 * @param data  the data lines joined with {@code \n}
 * @param id    the last event id, empty when none
 */
public record SseEvent(String event, String data, String id) {
    public static final String DONE = "[DONE]";

    public static SseEvent data(String data) {
        return new SseEvent("", data, "");
    }

    public static SseEvent named(String event, String data) {
        return new SseEvent(event, data, "");
    }

    public boolean isDone() {
        return DONE.equals(data);
    }
}
