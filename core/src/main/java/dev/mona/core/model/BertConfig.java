package dev.mona.core.model;

/**
 * A BERT / RoBERTa text encoder (Hugging Face {@code BertModel} / {@code RobertaModel} naming, see
 * {@link BertEncoder}).
 *
 * @param vocabSize        rows of {@code embeddings.word_embeddings}
 * @param width            hidden size
 * @param layers           number of transformer layers
 * @param heads            attention heads (must divide {@code width})
 * @param intermediate     hidden width of each layer's MLP
 * @param maxPositions     rows of {@code embeddings.position_embeddings} (514 for RoBERTa: 512 + padding offset)
 * @param typeVocabSize    rows of {@code embeddings.token_type_embeddings} (1 for RoBERTa, 2 for BERT)
 * @param padTokenId       id of the padding token (RoBERTa 1, BERT 0)
 * @param robertaPositions RoBERTa position ids: {@code padTokenId + 1, padTokenId + 2, ...} for real tokens and
 *                         {@code padTokenId} for padding; otherwise BERT's {@code 0, 1, 2, ...}
 * @param eps              LayerNorm epsilon (RoBERTa 1e-5, BERT 1e-12)
 * @param checkpointPrefix prefix of these parameters in the published weights file ({@code roberta.} for
 *                         {@code roberta-base}, empty for sentence-transformers' MiniLM); local names omit it
 */
public record BertConfig(int vocabSize, int width, int layers, int heads, int intermediate, int maxPositions,
                         int typeVocabSize, int padTokenId, boolean robertaPositions, double eps,
                         String checkpointPrefix) implements EncoderConfig {
    public BertConfig {
        if (width <= 0 || heads <= 0 || width % heads != 0) {
            throw new ModelConfigException("text encoder width " + width + " must be a positive multiple of heads "
                    + heads);
        }
        if (vocabSize <= 0 || layers < 0 || intermediate <= 0 || typeVocabSize <= 0 || !(eps > 0)
                || maxPositions <= firstPosition(robertaPositions, padTokenId)) {
            throw new ModelConfigException("text encoder vocabSize " + vocabSize + ", layers " + layers
                    + ", intermediate " + intermediate + ", typeVocabSize " + typeVocabSize + ", eps " + eps
                    + " must be positive and maxPositions " + maxPositions + " must exceed the first position id");
        }
        checkpointPrefix = checkpointPrefix == null ? "" : checkpointPrefix;
    }

    /** {@code roberta-base}: 768 wide, 12 layers, 12 heads, FFN 3072, 514 positions from id 2, eps 1e-5. */
    public static BertConfig robertaBase() {
        return new BertConfig(50265, 768, 12, 12, 3072, 514, 1, 1, true, 1e-5, "roberta.");
    }

    /** {@code sentence-transformers/all-MiniLM-L6-v2}: BERT, 384 wide, 6 layers, 12 heads, FFN 1536, eps 1e-12. */
    public static BertConfig allMiniLmL6V2() {
        return new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 0, false, 1e-12, "");
    }

    /** A very small RoBERTa-style encoder for tests: vocabulary 50, width 8, 2 layers, 2 heads, 20 positions. */
    public static BertConfig tinyRoberta() {
        return new BertConfig(50, 8, 2, 2, 16, 20, 1, 1, true, 1e-5, "roberta.");
    }

    /** A very small BERT-style encoder for tests: vocabulary 40, width 8, 2 layers, 2 heads, 16 positions. */
    public static BertConfig tinyBert() {
        return new BertConfig(40, 8, 2, 2, 16, 16, 2, 0, false, 1e-12, "");
    }

    /** Position id of the first real token: {@code padTokenId + 1} for RoBERTa, 0 for BERT. */
    public int firstPosition() {
        return firstPosition(robertaPositions, padTokenId);
    }

    /** Longest token sequence the position table allows. */
    public int maxTokens() {
        return maxPositions - firstPosition();
    }

    private static int firstPosition(boolean roberta, int pad) {
        return roberta ? pad + 1 : 0;
    }

    @Override
    public BertEncoder build() {
        return new BertEncoder(this);
    }
}
