package dev.mona.core.model;

/** The configuration of a pretrained encoder; {@link #build()} makes the encoder. */
public sealed interface EncoderConfig permits VitConfig, SwinConfig, BertConfig {
    /** The encoder this configuration describes. */
    Encoder build();

    /** Input token width. */
    int width();

    /** Side of the square image the encoder's patch embedding expects (0 for text encoders). */
    default int inputSize2d() {
        return 0;
    }

    /** Patch size of the encoder's image patch embedding (0 for text encoders). */
    default int patchSize2d() {
        return 0;
    }
}
