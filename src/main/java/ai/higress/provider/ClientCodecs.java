package ai.higress.provider;

import java.util.EnumMap;
import java.util.Map;

import ai.higress.schema.ChatRequest;
import ai.higress.schema.WireProtocol;

/** The codec for each client dialect; OpenAI chat needs none, being the canonical form. */
public final class ClientCodecs {
    private final Map<WireProtocol, ClientCodec> byProtocol;

    public ClientCodecs(Map<WireProtocol, ClientCodec> byProtocol) {
        this.byProtocol = byProtocol.isEmpty() ? new EnumMap<>(WireProtocol.class) : new EnumMap<>(byProtocol);
        if (this.byProtocol.containsKey(WireProtocol.OPENAI_CHAT)) {
            throw new IllegalArgumentException("OpenAI chat is the canonical form and takes no codec");
        }
    }

    /** {@code result} in the dialect the client of {@code request} expects. */
    public ChatResult toClient(ChatRequest request, ChatResult result) {
        if (result.protocol() == request.clientProtocol()) {
            return result;
        }
        return codec(request, result.protocol()).fromChat(request, result);
    }

    /** {@code upstream} emitting the dialect the client of {@code request} expects. */
    public StreamTranslator toClient(ChatRequest request, StreamTranslator upstream) {
        if (upstream.protocol() == request.clientProtocol()) {
            return upstream;
        }
        return codec(request, upstream.protocol()).fromChatStream(request, upstream);
    }

    private ClientCodec codec(ChatRequest request, WireProtocol produced) {
        if (produced != WireProtocol.OPENAI_CHAT) {
            throw new IllegalStateException("an adapter answered a " + request.clientProtocol() + " client in "
                    + produced + ", which is neither the client's dialect nor the canonical one");
        }
        ClientCodec codec = byProtocol.get(request.clientProtocol());
        if (codec == null) {
            throw new IllegalStateException("no client codec for " + request.clientProtocol());
        }
        return codec;
    }
}
