package ai.higress.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Runs a test method once on H2 and once on PostgreSQL, passing a {@link TestDatabase}. Each test class gets its own
 * two freshly migrated databases (created on first use, closed after the class); every invocation starts with empty
 * tables. The databases are closed with the class, not after each invocation (hence {@code autoCloseArguments}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}", autoCloseArguments = false)
@ArgumentsSource(OnBothDatabases.Provider.class)
public @interface OnBothDatabases {

    /** Supplies the class's two databases, emptied. */
    final class Provider implements ArgumentsProvider {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Provider.class);

        @Override
        public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
            ExtensionContext classContext = context.getParent().orElse(context);
            String name = context.getRequiredTestClass().getSimpleName();
            Databases databases = classContext.getStore(NAMESPACE)
                    .getOrComputeIfAbsent(Databases.class, key -> Databases.open(name), Databases.class);
            return databases.all().stream().map(database -> {
                database.reset();
                return Arguments.of(database);
            });
        }
    }

    /** The two databases of one test class; closed by JUnit when the class is done. */
    record Databases(List<TestDatabase> all) implements ExtensionContext.Store.CloseableResource {
        static Databases open(String name) {
            TestDatabase h2 = TestDatabase.h2(name);
            try {
                return new Databases(List.of(h2, TestDatabase.postgres(name)));
            } catch (RuntimeException e) {
                h2.close();
                throw e;
            }
        }

        @Override
        public void close() {
            all.forEach(TestDatabase::close);
        }
    }
}
