package ai.higress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** providers.<id>.max-tokens-param: each preset's default and the explicit override. */
class MaxTokensParamTest {

    private static ProviderConfig provider(String yaml) {
        return GatewayConfig.create(Config.just(ConfigSources.create("providers:\n  p: " + yaml,
                MediaTypes.APPLICATION_X_YAML))).providers().get("p");
    }

    @ParameterizedTest
    @CsvSource({"openai, MAX_COMPLETION_TOKENS", "azure, MAX_COMPLETION_TOKENS", "groq, MAX_COMPLETION_TOKENS",
            "vllm, MAX_COMPLETION_TOKENS", "custom, MAX_COMPLETION_TOKENS", "deepseek, MAX_TOKENS",
            "mistral, MAX_TOKENS", "ollama, MAX_TOKENS", "together, MAX_TOKENS", "openrouter, MAX_TOKENS"})
    void eachPresetSendsTheNameItsVendorDocuments(String preset, MaxTokensParam expected) {
        assertEquals(expected, provider("{type: openai, preset: " + preset
                + ", base-url: \"https://llm.example.com/v1\", api-key: k}").maxTokensParam());
    }

    @Test
    void aProviderCanSayWhichNameItsServerKnows() {
        assertEquals(MaxTokensParam.MAX_TOKENS, provider("{type: openai, base-url: \"http://lmstudio.local/v1\", "
                + "max-tokens-param: max-tokens}").maxTokensParam());
        assertEquals(MaxTokensParam.MAX_COMPLETION_TOKENS, provider("{type: openai, preset: deepseek, api-key: k, "
                + "max-tokens-param: max-completion-tokens}").maxTokensParam());
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKey() {
        ConfigException failure = assertThrows(ConfigException.class,
                () -> provider("{type: openai, preset: vllm, max-tokens-param: max_output_tokens}"));
        assertEquals("providers.p.max-tokens-param", failure.key());
    }
}
