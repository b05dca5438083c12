package ai.higress.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The versioned migrations the build ships, counted from the top-level folder they are packaged from. */
public final class Migrations {

    private Migrations() {
    }

    /** How many {@code V<n>__*.sql} files {@code migrations/} holds: what a fresh database applies. */
    public static int versioned() {
        try (Stream<Path> files = Files.list(Path.of("migrations"))) {
            return (int) files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.+\\.sql")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
