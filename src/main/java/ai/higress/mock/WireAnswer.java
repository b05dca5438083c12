package ai.higress.mock;

import java.util.List;

/**
 * One answer in one wire protocol: the whole JSON body, or the server-sent events of its stream, each event already
 * framed. A stream is {@link #opening()}, then {@link #piece} for every piece of the answer (paced one token apart),
 * then {@link #closing()}; a protocol that cannot show a piece on its own (a Gemini function call arrives whole)
 * returns no event for it and says everything when it closes.
 */
interface WireAnswer {

    byte[] whole();

    List<byte[]> opening();

    /** The events of piece {@code index} of the answer. */
    List<byte[]> piece(int index, String piece);

    List<byte[]> closing();
}
