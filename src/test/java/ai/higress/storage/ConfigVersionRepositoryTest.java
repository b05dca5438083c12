package ai.higress.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import ai.higress.testing.OnBothDatabases;
import ai.higress.testing.TestDatabase;

class ConfigVersionRepositoryTest {

    @OnBothDatabases
    void startsAtOneAndBumpsByOne(TestDatabase db) {
        ConfigVersionRepository versions = new ConfigVersionRepository(db.client(), Clock.systemUTC());
        assertEquals(1, versions.current());
        assertEquals(2, versions.bump());
        assertEquals(3, versions.bump());
        assertEquals(3, versions.current());
    }

    @OnBothDatabases
    void concurrentBumpsNeverLoseOrRepeatAVersion(TestDatabase db) throws InterruptedException, ExecutionException {
        ConfigVersionRepository versions = new ConfigVersionRepository(db.client(), Clock.systemUTC());
        int bumps = 40;
        List<Future<Long>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < bumps; i++) {
                results.add(executor.submit(versions::bump));
            }
        }
        Set<Long> seen = new TreeSet<>();
        for (Future<Long> result : results) {
            seen.add(result.get());
        }
        assertEquals(LongStream.rangeClosed(2, bumps + 1).boxed().toList(), List.copyOf(seen),
                "each bump returned its own new version");
        assertEquals(bumps + 1, versions.current());
    }
}
