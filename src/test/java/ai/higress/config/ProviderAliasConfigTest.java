package ai.higress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

/** {@code providers.<id>.models[].alias}: the name clients use for an upstream model. */
class ProviderAliasConfigTest {

    private static ProviderConfig provider(String models) {
        return GatewayConfig.create(Config.just(ConfigSources.create("""
                providers:
                  azure: {type: openai, preset: azure, base-url: "https://r.openai.azure.com/openai", api-key: "k-0123456789abcdef",
                          models: %s}
                """.formatted(models), MediaTypes.APPLICATION_X_YAML))).providers().get("azure");
    }

    @Test
    void anAliasNamesAModelThatIsSentUpstreamUnderItsOwnName() {
        ProviderConfig azure = provider("[{name: prod-4o-0806, alias: gpt-4o, input-price: 2.5}, gpt-4o-mini]");
        assertEquals(Map.of("gpt-4o", "prod-4o-0806"), azure.aliases());
        assertEquals("prod-4o-0806", azure.upstreamName("gpt-4o"));
        assertEquals("gpt-4o-mini", azure.upstreamName("gpt-4o-mini"));
        assertEquals(List.of("gpt-4o", "gpt-4o-mini"), azure.listedModels(), "listed under the alias, in order");
        assertTrue(azure.hidden("prod-4o-0806"));
        assertFalse(azure.hidden("gpt-4o-mini"));
        assertEquals(2.5, azure.pricingOf("prod-4o-0806").inputPerMillion().doubleValue(),
                "prices stay with the upstream name the usage is recorded under");
    }

    @Test
    void anAliasMayNotBeTakenTwiceNorShadowAModel() {
        ConfigException twice = assertThrows(ConfigException.class,
                () -> provider("[{name: a, alias: x}, {name: b, alias: x}]"));
        assertTrue(twice.getMessage().startsWith("providers.azure.models.1.alias: "), twice.getMessage());
        ConfigException shadow = assertThrows(ConfigException.class,
                () -> provider("[{name: a, alias: b}, b]"));
        assertTrue(shadow.getMessage().startsWith("providers.azure.models: "), shadow.getMessage());
    }
}
