package ai.higress.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event for one upstream attempt. */
@Name("ai.higress.UpstreamAttempt")
@Label("Upstream Attempt")
@Category({"AI-Higress", "Gateway"})
@Description("One attempt to serve a request from one provider target")
@StackTrace(false)
final class AttemptEvent extends Event {
    @Label("Request Id")
    String requestId;
    @Label("Attempt")
    int attempt;
    @Label("Provider")
    String provider;
    @Label("Upstream Model")
    String upstreamModel;
    @Label("Status")
    int status;
    @Label("Outcome")
    String outcome;
    @Label("Time To First Token (ms)")
    long firstTokenMillis;
}
