package ai.higress.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import ai.higress.observe.Outcome;
import ai.higress.storage.RequestLogEntry;
import ai.higress.storage.RequestLogRepository;


/** Writes usage batches to the request log, one multi-row insert per batch. */
public final class RequestLogSink implements UsageSink {
    private final RequestLogRepository requests;

    public RequestLogSink(RequestLogRepository requests) {
        this.requests = requests;
    }

    @Override
    public void write(List<UsageRecord> batch) {
        List<RequestLogEntry> entries = new ArrayList<>(batch.size());
        for (UsageRecord record : batch) {
            entries.add(new RequestLogEntry(fit(record.requestId(), 128), record.createdAt(),
                    fit(record.apiKeyId(), 300), fit(record.route(), 32), fit(record.logicalModel(), 255),
                    fit(record.providerId(), 63), fit(record.upstreamModel(), 255), record.stream(),
                    record.status(), Outcome.valueOf(record.outcome().toUpperCase(Locale.ROOT)),
                    fit(record.errorCode(), 64),
                    (int) Math.min(Integer.MAX_VALUE, record.durationMs()),
                    record.ttftMs() < 0 ? Optional.empty() : Optional.of((int) Math.min(Integer.MAX_VALUE,
                            record.ttftMs())),
                    record.promptTokens(), record.completionTokens(), record.cachedTokens(), record.costUsd(),
                    record.attempts()));
        }
        requests.insertAll(entries);
    }

    /**
     * Cuts a value to its column's width: one over-long value must not make its whole batch fail on every retry
     * (a data error does not go away by waiting, unlike an outage).
     */
    private static String fit(String value, int columnWidth) {
        return value.length() <= columnWidth ? value : value.substring(0, columnWidth);
    }
}
