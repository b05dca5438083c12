package ai.higress.admin;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import ai.higress.error.GatewayException;
import ai.higress.observe.Outcome;
import ai.higress.schema.Json;
import ai.higress.storage.Granularity;
import ai.higress.storage.RequestLogEntry;
import ai.higress.storage.RequestLogFilter;
import ai.higress.storage.RequestLogRepository;
import ai.higress.storage.UsageBucket;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The request log, read-only: {@code GET /admin/api/usage} lists requests newest first, one page at a time, and
 * {@code GET /admin/api/usage/summary} totals them per UTC hour or day. Both take the same filters: {@code key},
 * {@code model}, {@code provider}, {@code outcome}, {@code from} (inclusive) and {@code to} (exclusive). Viewers may
 * read both. Rows never hold prompt or completion text.
 */
final class UsageAdminService implements HttpService {
    private static final String OUTCOMES = Arrays.stream(Outcome.values()).map(Outcome::tag)
            .collect(Collectors.joining(", "));

    private final AdminSupport admin;
    private final RequestLogRepository requests;

    UsageAdminService(AdminSupport admin, RequestLogRepository requests) {
        this.admin = admin;
        this.requests = requests;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin/api/usage", this::list)
                .get("/admin/api/usage/summary", this::summary);
    }

    private void list(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        RequestLogFilter filter = filter(req);
        AdminSupport.send(res, AdminSupport.page(requests.query(filter, AdminSupport.page(req)),
                UsageAdminService::render));
    }

    private void summary(ServerRequest req, ServerResponse res) {
        admin.reader(req);
        Granularity granularity = granularity(req);
        RequestLogFilter filter = filter(req);
        List<UsageBucket> buckets = requests.aggregate(filter, granularity);
        ObjectNode root = Json.object();
        root.put("object", "usage_summary");
        root.put("bucket", granularity.name().toLowerCase(Locale.ROOT));
        filter.from().ifPresentOrElse(from -> root.put("from", from.toString()), () -> root.putNull("from"));
        filter.to().ifPresentOrElse(to -> root.put("to", to.toString()), () -> root.putNull("to"));
        ArrayNode data = root.putArray("data");
        long requestCount = 0;
        long errors = 0;
        long prompt = 0;
        long completion = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (UsageBucket bucket : buckets) {
            ObjectNode node = data.addObject();
            node.put("start", bucket.start().toString());
            node.put("end", bucket.start().plus(granularity.width()).toString());
            totals(node, bucket.requests(), bucket.errors(), bucket.promptTokens(), bucket.completionTokens(),
                    bucket.costUsd());
            requestCount += bucket.requests();
            errors += bucket.errors();
            prompt += bucket.promptTokens();
            completion += bucket.completionTokens();
            cost = cost.add(bucket.costUsd());
        }
        totals(root.putObject("totals"), requestCount, errors, prompt, completion, cost);
        AdminSupport.send(res, root);
    }

    private static void totals(ObjectNode node, long requests, long errors, long prompt, long completion,
                               BigDecimal cost) {
        node.put("requests", requests);
        node.put("errors", errors);
        node.put("prompt_tokens", prompt);
        node.put("completion_tokens", completion);
        node.put("total_tokens", prompt + completion);
        node.put("cost_usd", AdminJson.money(cost));
    }

    private static RequestLogFilter filter(ServerRequest req) {
        AdminSupport.TimeRange range = AdminSupport.range(req);
        return new RequestLogFilter(AdminSupport.textParam(req, "key"), AdminSupport.textParam(req, "model"),
                AdminSupport.textParam(req, "provider"), outcome(req), range.from(), range.to());
    }

    private static Optional<Outcome> outcome(ServerRequest req) {
        return AdminSupport.textParam(req, "outcome").map(text -> Arrays.stream(Outcome.values())
                .filter(outcome -> outcome.tag().equals(text.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> GatewayException.invalidRequest("Invalid value for 'outcome': expected one of "
                        + OUTCOMES + ", was '" + text + "'.", "outcome", "invalid_value")));
    }

    private static Granularity granularity(ServerRequest req) {
        String text = AdminSupport.textParam(req, "bucket").orElse("hour");
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "hour" -> Granularity.HOUR;
            case "day" -> Granularity.DAY;
            default -> throw GatewayException.invalidRequest("Invalid value for 'bucket': expected 'hour' or 'day', "
                    + "was '" + text + "'.", "bucket", "invalid_value");
        };
    }

    private static ObjectNode render(RequestLogEntry entry) {
        ObjectNode node = Json.object();
        node.put("request_id", entry.requestId());
        node.put("created_at", entry.createdAt().toString());
        node.put("key_id", entry.apiKeyId());
        node.put("route", entry.route());
        node.put("model", entry.logicalModel());
        node.put("provider", entry.providerId());
        node.put("upstream_model", entry.upstreamModel());
        node.put("stream", entry.stream());
        node.put("status", entry.status());
        node.put("outcome", entry.outcome().tag());
        node.put("error_code", entry.errorCode());
        node.put("duration_ms", entry.durationMs());
        entry.ttftMs().ifPresentOrElse(ttft -> node.put("ttft_ms", ttft), () -> node.putNull("ttft_ms"));
        node.put("prompt_tokens", entry.promptTokens());
        node.put("completion_tokens", entry.completionTokens());
        node.put("cached_tokens", entry.cachedTokens());
        node.put("cost_usd", AdminJson.money(entry.costUsd()));
        node.set("attempts", entry.attempts());
        return node;
    }
}
