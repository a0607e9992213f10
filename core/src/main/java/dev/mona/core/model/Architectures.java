package dev.mona.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.SplittableRandom;

/**
 * Assembles the target model {@code h(f(e(x)))} for an encoder configuration, a target input shape (without the
 * batch axis: {@code (C, H, W)} or {@code (C, L)}) and an output kind, following METHOD.md section 2:
 * 2-D inputs get an {@link Embedder2d} (image encoders only), 1-D inputs an {@link Embedder1d} (text encoders or
 * a ViT); outputs are class logits ({@link ClassificationPredictor}) or a dense map of the input's spatial shape
 * ({@link DensePredictor2d}, {@link DensePredictor1d}).
 */
public final class Architectures {
    /** ORCA's default most tokens of the 1-D embedder (capped by the text encoder's position table). */
    public static final int DEFAULT_TARGET_SEQ_LEN = 512;
    /** Channels of the pixel-shuffled image of the 2-D dense predictor (ORCA: 3). */
    public static final int DEFAULT_SHUFFLE_CHANNELS = 3;

    private Architectures() {}

    /** Classifier with {@code classes} logits. */
    public static TransferModel classifier(EncoderConfig encoder, long[] inputShape, int classes) {
        return classifier(encoder, inputShape, classes, DEFAULT_TARGET_SEQ_LEN);
    }

    /** Classifier with an explicit 1-D target sequence length. */
    public static TransferModel classifier(EncoderConfig encoder, long[] inputShape, int classes, int targetSeqLen) {
        Encoder enc = encoder.build();
        Embedder emb = embedder(encoder, inputShape, targetSeqLen);
        return new TransferModel(emb, enc, new ClassificationPredictor(enc.outputWidth(), classes));
    }

    /** Dense model: output {@code (outChannels, H, W)} for 2-D inputs, {@code (outChannels, L)} for 1-D inputs. */
    public static TransferModel dense(EncoderConfig encoder, long[] inputShape, int outChannels) {
        return dense(encoder, inputShape, outChannels, DEFAULT_TARGET_SEQ_LEN);
    }

    /** Dense model with an explicit 1-D target sequence length. */
    public static TransferModel dense(EncoderConfig encoder, long[] inputShape, int outChannels, int targetSeqLen) {
        Encoder enc = encoder.build();
        Embedder emb = embedder(encoder, inputShape, targetSeqLen);
        Predictor pred;
        if (emb instanceof Embedder2d e2) {
            int grid = outputGrid(encoder);
            // shuffle back to the encoder's input size: 32 for Swin-B (7 x 32 = 224), as in ORCA
            int shuffle = Math.max(1, encoder.inputSize2d() / grid);
            pred = new DensePredictor2d(enc.outputWidth(), grid, shuffle, DEFAULT_SHUFFLE_CHANNELS, outChannels,
                    e2.height(), e2.width());
        } else {
            Embedder1d e1 = (Embedder1d) emb;
            pred = new DensePredictor1d(enc.outputWidth(), outChannels, e1.length(), e1.stack());
        }
        return new TransferModel(emb, enc, pred);
    }

    /** The target embedder for {@code inputShape} in front of {@code encoder}. */
    public static Embedder embedder(EncoderConfig encoder, long[] inputShape, int targetSeqLen) {
        if (inputShape.length == 3) {
            if (encoder.inputSize2d() == 0) {
                throw new ModelConfigException("2-D inputs " + java.util.Arrays.toString(inputShape)
                        + " need an image encoder (Swin or ViT), not " + encoder.getClass().getSimpleName());
            }
            // a ViT's blocks see positions only through its absolute table; Swin's carry relative biases
            return new Embedder2d(Math.toIntExact(inputShape[0]), Math.toIntExact(inputShape[1]),
                    Math.toIntExact(inputShape[2]), encoder.inputSize2d(), encoder.patchSize2d(), encoder.width(),
                    eps(encoder), encoder instanceof VitConfig);
        }
        if (inputShape.length == 2) {
            int target = targetSeqLen;
            if (encoder instanceof BertConfig b) {
                target = Math.min(target, b.maxTokens());
            } else if (encoder instanceof SwinConfig) {
                throw new ModelConfigException("1-D inputs " + java.util.Arrays.toString(inputShape)
                        + " cannot feed a Swin encoder (it needs a square token grid); use a text encoder or a ViT");
            }
            return new Embedder1d(Math.toIntExact(inputShape[0]), Math.toIntExact(inputShape[1]), target,
                    encoder.width(), eps(encoder));
        }
        throw new ModelConfigException("input shape " + java.util.Arrays.toString(inputShape)
                + " is neither (C, H, W) nor (C, L)");
    }

    /** Tokens per side of the encoder's output for a 2-D input. */
    static int outputGrid(EncoderConfig encoder) {
        if (encoder instanceof SwinConfig s) {
            return s.resolution(s.stages() - 1);
        }
        return encoder.inputSize2d() / encoder.patchSize2d();
    }

    private static double eps(EncoderConfig encoder) {
        if (encoder instanceof SwinConfig s) {
            return s.eps();
        }
        if (encoder instanceof VitConfig v) {
            return v.eps();
        }
        return ((BertConfig) encoder).eps();
    }

    /**
     * The encoder's declared parameters taken from {@code loaded} (extra names such as buffers are left out);
     * a missing name or a shape that differs from the architecture's is a typed error naming it.
     */
    public static Params encoderParams(Encoder encoder, Params loaded) {
        Params out = Params.empty();
        for (java.util.Map.Entry<String, ai.djl.ndarray.types.Shape> e : encoder.parameterShapes().entrySet()) {
            ai.djl.ndarray.NDArray a = loaded.get(e.getKey());
            if (!a.getShape().equals(e.getValue())) {
                throw new ModelConfigException("encoder parameter '" + e.getKey() + "' has shape " + a.getShape()
                        + " but the configured architecture expects " + e.getValue()
                        + "; check that the weights match the encoder configuration");
            }
            out = out.with(e.getKey(), a);
        }
        return out;
    }

    /**
     * Full parameters for {@code model}: the encoder's from {@code pretrainedEncoder} (local encoder names, as
     * loaded from a checkpoint) or freshly initialised when it is null (train from scratch); the embedder from
     * {@link WarmStart}: its position table always from the encoder's, its projection and LayerNorm too when
     * {@code warmStartEmbedder} (ORCA: when stage 1 runs), otherwise trunc-normal; the predictor fresh.
     */
    public static Params initialise(TransferModel model, Params pretrainedEncoder, boolean warmStartEmbedder,
                                    NDManager manager, DataType dtype, SplittableRandom rng) {
        Params enc = pretrainedEncoder != null ? encoderParams(model.encoder(), pretrainedEncoder)
                : model.encoder().initialise(manager, dtype, rng.split());
        SplittableRandom embRng = rng.split();
        Params emb = WarmStart.embedder(model.embedder(), model.encoder(), enc, warmStartEmbedder, manager, dtype,
                embRng);
        Params pred = model.predictor().initialise(manager, dtype, rng.split());
        return emb.prefixed(TransferModel.EMBEDDER).merge(enc.prefixed(TransferModel.ENCODER))
                .merge(pred.prefixed(TransferModel.PREDICTOR));
    }
}
