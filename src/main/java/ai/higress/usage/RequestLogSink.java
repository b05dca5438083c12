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
            entries.add(new RequestLogEntry(record.requestId(), record.createdAt(), record.apiKeyId(), record.route(),
                    record.logicalModel(), record.providerId(), record.upstreamModel(), record.stream(),
                    record.status(), Outcome.valueOf(record.outcome().toUpperCase(Locale.ROOT)), record.errorCode(),
                    (int) Math.min(Integer.MAX_VALUE, record.durationMs()),
                    record.ttftMs() < 0 ? Optional.empty() : Optional.of((int) Math.min(Integer.MAX_VALUE,
                            record.ttftMs())),
                    record.promptTokens(), record.completionTokens(), record.cachedTokens(), record.costUsd(),
                    record.attempts()));
        }
        requests.insertAll(entries);
    }
}
