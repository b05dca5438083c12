package ai.higress.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event spanning one client request. */
@Name("ai.higress.Request")
@Label("Gateway Request")
@Category({"AI-Higress", "Gateway"})
@Description("One client request through the gateway, with its outcome")
@StackTrace(false)
final class RequestEvent extends Event {
    @Label("Request Id")
    String requestId;
    @Label("Route")
    String route;
    @Label("Model")
    String model;
    @Label("Provider")
    String provider;
    @Label("Outcome")
    String outcome;
    @Label("Status")
    int status;
    @Label("Stream")
    boolean stream;
    @Label("Attempts")
    int attempts;
    @Label("Time To First Token (ms)")
    long firstTokenMillis;
    @Label("Prompt Tokens")
    long promptTokens;
    @Label("Completion Tokens")
    long completionTokens;
}
