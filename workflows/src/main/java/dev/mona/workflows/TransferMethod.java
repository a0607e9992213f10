package dev.mona.workflows;

import java.util.Locale;

/** The transfer methods compared in the MoNA paper; stage 1 (alignment) differs, stage 2 is always fine-tuning. */
public enum TransferMethod {
    /** Same network, encoder randomly initialised, no stage 1. */
    SCRATCH,
    /** Vanilla fine-tuning from the pretrained encoder, no stage 1. */
    FT,
    /** Embedder warm-up with the task loss (encoder frozen), then fine-tuning. */
    EMB,
    /** ORCA: embedder trained to minimise OTDD to the source embeddings, then fine-tuning. */
    ORCA,
    /** MoNA: embedder meta-learned so the encoder's source knowledge survives fine-tuning, then fine-tuning. */
    MONA;

    /** True when the method has a stage-1 embedder alignment. */
    public boolean aligns() {
        return this == EMB || this == ORCA || this == MONA;
    }

    /** Lower-case name used in ids, keys and tables. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code ft}, {@code FT}, {@code mona}, ...; a typed error listing the choices otherwise. */
    public static TransferMethod parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException("unknown method '" + s + "'; choose one of scratch, ft, emb, orca, mona");
        }
    }
}
