package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A post-LayerNorm BERT / RoBERTa encoder with Hugging Face names (without the model prefix, see
 * {@link BertConfig#checkpointPrefix()}):
 * {@code embeddings.{word_embeddings, position_embeddings, token_type_embeddings, LayerNorm}} (the
 * {@link #sourceEmbedder()}: token ids {@code (B, N)} to embeddings) and
 * {@code encoder.layer.{i}.{attention.self.{query,key,value}, attention.output.dense, attention.output.LayerNorm,
 * intermediate.dense, output.dense, output.LayerNorm}}. No pooler: predictors pool the tokens themselves.
 */
public final class BertEncoder implements Encoder, LayoutModule {
    static final String WORDS = "embeddings.word_embeddings.weight";
    static final String POSITIONS = "embeddings.position_embeddings.weight";
    static final String TOKEN_TYPES = "embeddings.token_type_embeddings.weight";
    static final String EMBEDDING_NORM = "embeddings.LayerNorm";

    private final BertConfig config;
    private final ParamLayout layout;
    private final TokenEmbedding sourceEmbedder;

    public BertEncoder(BertConfig config) {
        this.config = config;
        int c = config.width();
        ParamLayout l = new ParamLayout();
        l.add(WORDS, new Shape(config.vocabSize(), c), ParamLayout.Init.TRUNC_NORMAL);
        l.add(POSITIONS, new Shape(config.maxPositions(), c), ParamLayout.Init.TRUNC_NORMAL);
        l.add(TOKEN_TYPES, new Shape(config.typeVocabSize(), c), ParamLayout.Init.TRUNC_NORMAL);
        l.layerNorm(EMBEDDING_NORM, c);
        for (int i = 0; i < config.layers(); i++) {
            String b = "encoder.layer." + i + ".";
            l.linear(b + "attention.self.query", c, c, true);
            l.linear(b + "attention.self.key", c, c, true);
            l.linear(b + "attention.self.value", c, c, true);
            l.linear(b + "attention.output.dense", c, c, true);
            l.layerNorm(b + "attention.output.LayerNorm", c);
            l.linear(b + "intermediate.dense", c, config.intermediate(), true);
            l.linear(b + "output.dense", config.intermediate(), c, true);
            l.layerNorm(b + "output.LayerNorm", c);
        }
        this.layout = l;
        this.sourceEmbedder = new TokenEmbedding(l.filter("embeddings."));
    }

    /**
     * True for names in published weights files that are not parameters of this encoder: buffers
     * ({@code position_ids}, {@code token_type_ids}) and heads that {@code mona} does not use (pooler, LM head).
     */
    public static boolean isIgnoredCheckpointName(String name) {
        return name.endsWith("position_ids") || name.endsWith("token_type_ids") || name.contains("pooler.")
                || name.startsWith("lm_head.") || name.startsWith("cls.");
    }

    public BertConfig config() {
        return config;
    }

    @Override
    public int width() {
        return config.width();
    }

    @Override
    public int outputWidth() {
        return config.width();
    }

    /** Token ids {@code (B, N)} (int64 or int32) to embeddings {@code (B, N, width)}. */
    @Override
    public Module sourceEmbedder() {
        return sourceEmbedder;
    }

    @Override
    public ParamLayout layout() {
        return layout;
    }

    @Override
    public NDArray forward(Params params, NDArray x) {
        return forward(params, x, null);
    }

    /**
     * The layers on embeddings {@code (B, N, width)}; {@code attentionMask} (nullable) is {@code (B, N)} with 1 for
     * real tokens and 0 for padding, which no token attends to.
     */
    public NDArray forward(Params params, NDArray x, NDArray attentionMask) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) != config.width()) {
            throw new InputShapeException("text encoder", s, "embeddings (B, N, " + config.width() + ")");
        }
        NDArray bias = null;
        if (attentionMask != null) {
            if (!attentionMask.getShape().equals(new Shape(s.get(0), s.get(1)))) {
                throw new InputShapeException("text encoder attention mask", attentionMask.getShape(),
                        "(" + s.get(0) + ", " + s.get(1) + ")");
            }
            bias = Blocks.paddingBias(attentionMask, x.getDataType());
        }
        double eps = config.eps();
        for (int i = 0; i < config.layers(); i++) {
            Params b = params.scope("encoder.layer." + i + ".");
            NDArray a = Blocks.selfAttention(b, "attention.self.", "attention.output.dense", x, config.heads(), bias);
            x = Blocks.layerNorm(b, "attention.output.LayerNorm", a.add(x), eps);
            NDArray f = Blocks.mlp(b, "intermediate.dense", "output.dense", x);
            x = Blocks.layerNorm(b, "output.LayerNorm", f.add(x), eps);
        }
        return x;
    }

    /** Padding ({@code padTokenId}) is neither attended to nor averaged, as with Hugging Face's attention mask. */
    @Override
    public NDArray pooledSourceFeatures(Params params, NDArray ids) {
        NDArray embedded = sourceEmbedder.forward(params, ids);
        NDArray mask = realTokens(ids, embedded.getDataType());
        return maskedMean(forward(params, embedded, mask), mask);
    }

    @Override
    public NDArray pooledSourceEmbeddings(Params params, NDArray ids) {
        NDArray embedded = sourceEmbedder.forward(params, ids);
        return maskedMean(embedded, realTokens(ids, embedded.getDataType()));
    }

    /** 1 for real tokens, 0 for padding, {@code (B, N)}. */
    private NDArray realTokens(NDArray ids, DataType dtype) {
        return ids.toType(DataType.INT64, false).neq(config.padTokenId()).toType(dtype, false);
    }

    /** Mean of {@code tokens (B, N, C)} over the positions where {@code mask (B, N)} is 1 (at least one). */
    private static NDArray maskedMean(NDArray tokens, NDArray mask) {
        NDArray sum = tokens.mul(mask.expandDims(2)).sum(new int[] {1});
        return sum.div(mask.sum(new int[] {1}, true).maximum(1));
    }

    /**
     * Position ids {@code (B, N)} for token ids: RoBERTa's {@code cumsum(ids != pad) * (ids != pad) + pad}
     * (real tokens from {@code pad + 1}, padding at {@code pad}), or BERT's {@code 0 .. N-1}.
     */
    public NDArray positionIds(NDArray ids) {
        Shape s = ids.getShape();
        NDManager m = ids.getManager();
        if (!config.robertaPositions()) {
            return m.arange(0, (int) s.get(1), 1, DataType.INT64).expandDims(0).broadcast(s);
        }
        NDArray real = ids.toType(DataType.INT64, false).neq(config.padTokenId()).toType(DataType.INT64, false);
        return real.cumSum(1).mul(real).add(config.padTokenId());
    }

    /** Token ids to {@code LayerNorm(word + position + token type 0)}. */
    private final class TokenEmbedding implements LayoutModule {
        private final ParamLayout layout;

        TokenEmbedding(ParamLayout layout) {
            this.layout = layout;
        }

        @Override
        public ParamLayout layout() {
            return layout;
        }

        @Override
        public NDArray forward(Params params, NDArray ids) {
            Shape s = ids.getShape();
            DataType t = ids.getDataType();
            if (s.dimension() != 2 || !(t == DataType.INT64 || t == DataType.INT32)
                    || s.get(1) > config.maxTokens()) {
                throw new InputShapeException("text embedding", s,
                        "integer token ids (B, N) with N <= " + config.maxTokens() + " (got " + t + ")");
            }
            NDArray longIds = ids.toType(DataType.INT64, false);
            NDArray words = Blocks.own(params.get(WORDS).get(longIds), ids);
            NDArray positions = Blocks.own(params.get(POSITIONS).get(positionIds(longIds)), ids);
            NDArray type0 = Blocks.own(params.get(TOKEN_TYPES).get(0), ids);
            return Blocks.layerNorm(params, EMBEDDING_NORM, words.add(positions).add(type0), config.eps());
        }
    }
}
