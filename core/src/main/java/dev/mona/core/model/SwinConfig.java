package dev.mona.core.model;

import java.util.List;

/**
 * A Swin Transformer (Hugging Face {@code SwinModel} naming, see {@link SwinEncoder}).
 *
 * @param imageSize  side of the square input image
 * @param patchSize  side of a patch (kernel = stride of the patch projection)
 * @param inChannels channels of the source images
 * @param embedDim   token width of the first stage; stage {@code i} has width {@code embedDim * 2^i}
 * @param depths     blocks per stage
 * @param heads      attention heads per stage
 * @param windowSize side of an attention window; a stage whose resolution is not larger uses one window over
 *                   the whole stage and no shift (as Hugging Face does)
 * @param mlpRatio   MLP hidden width over token width
 * @param eps        LayerNorm epsilon (1e-5 in the Hugging Face configs)
 */
public record SwinConfig(int imageSize, int patchSize, int inChannels, int embedDim, List<Integer> depths,
                         List<Integer> heads, int windowSize, double mlpRatio, double eps) implements EncoderConfig {
    /** Prefix of these parameters inside a {@code SwinFor*} checkpoint; local names omit it. */
    public static final String CHECKPOINT_PREFIX = "swin.";

    public SwinConfig {
        depths = List.copyOf(depths);
        heads = List.copyOf(heads);
        if (depths.isEmpty() || depths.size() != heads.size()) {
            throw new ModelConfigException("Swin depths " + depths + " and heads " + heads
                    + " must be non-empty and of the same length (one entry per stage)");
        }
        if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0) {
            throw new ModelConfigException("Swin imageSize " + imageSize + " must be a positive multiple of patchSize "
                    + patchSize);
        }
        if (windowSize <= 0 || embedDim <= 0 || inChannels <= 0 || !(mlpRatio > 0) || !(eps > 0)) {
            throw new ModelConfigException("Swin windowSize " + windowSize + ", embedDim " + embedDim
                    + ", inChannels " + inChannels + ", mlpRatio " + mlpRatio + " and eps " + eps
                    + " must be positive");
        }
        int res = imageSize / patchSize;
        for (int i = 0; i < depths.size(); i++) {
            int dim = embedDim << i;
            if (heads.get(i) <= 0 || dim % heads.get(i) != 0) {
                throw new ModelConfigException("Swin stage " + i + " width " + dim + " is not divisible by its "
                        + heads.get(i) + " heads");
            }
            int w = Math.min(windowSize, res);
            if (res % w != 0) {
                throw new ModelConfigException("Swin stage " + i + " resolution " + res + " is not a multiple of "
                        + "the window " + w + "; choose imageSize, patchSize and windowSize so that it is");
            }
            if (i < depths.size() - 1) {
                if (res % 2 != 0) {
                    throw new ModelConfigException("Swin stage " + i + " resolution " + res
                            + " is odd and cannot be patch-merged; choose an imageSize / patchSize divisible by 2^"
                            + (depths.size() - 1));
                }
                res /= 2;
            }
        }
    }

    /** {@code microsoft/swin-base-patch4-window7-224(-in22k)}: 224, patch 4, embed 128, depths 2,2,18,2. */
    public static SwinConfig swinBasePatch4Window7_224() {
        return new SwinConfig(224, 4, 3, 128, List.of(2, 2, 18, 2), List.of(4, 8, 16, 32), 7, 4.0, 1e-5);
    }

    /** {@code microsoft/swin-tiny-patch4-window7-224}: 224, patch 4, embed 96, depths 2,2,6,2. */
    public static SwinConfig swinTinyPatch4Window7_224() {
        return new SwinConfig(224, 4, 3, 96, List.of(2, 2, 6, 2), List.of(3, 6, 12, 24), 7, 4.0, 1e-5);
    }

    /**
     * A very small Swin for tests and quick runs: 32 x 32 RGB, patch 4 (8 x 8 tokens), window 4, embed 16,
     * depths 2,2, heads 2,4 (stage 2 is 4 x 4 tokens, one unshifted window).
     */
    public static SwinConfig tiny() {
        return new SwinConfig(32, 4, 3, 16, List.of(2, 2), List.of(2, 4), 4, 4.0, 1e-5);
    }

    public int stages() {
        return depths.size();
    }

    /** Tokens per side in stage {@code i}. */
    public int resolution(int stage) {
        return (imageSize / patchSize) >> stage;
    }

    /** Token width in stage {@code i}. */
    public int stageWidth(int stage) {
        return embedDim << stage;
    }

    /** Window side actually used in stage {@code i} (the whole stage when it is not larger than the window). */
    public int effectiveWindow(int stage) {
        return Math.min(windowSize, resolution(stage));
    }

    /** Shift of block {@code j} of stage {@code i}: half a window on odd blocks, none when one window covers all. */
    public int shift(int stage, int block) {
        return block % 2 == 1 && resolution(stage) > windowSize ? windowSize / 2 : 0;
    }

    @Override
    public int width() {
        return embedDim;
    }

    /** Width of the final tokens. */
    public int outputWidth() {
        return stageWidth(stages() - 1);
    }

    @Override
    public SwinEncoder build() {
        return new SwinEncoder(this);
    }

    @Override
    public int inputSize2d() {
        return imageSize;
    }

    @Override
    public int patchSize2d() {
        return patchSize;
    }
}
