package dev.mona.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The 2-D dense predictor (METHOD.md section 2, after ORCA): per-token {@code linear} to
 * {@code shuffleChannels * shuffle^2} values, pixel shuffle by {@code shuffle} (a {@code grid x grid} token map
 * becomes a {@code shuffleChannels x grid*shuffle x grid*shuffle} image), adaptive average pooling over channels
 * to {@code outChannels} and over space to {@code outHeight x outWidth}. Output {@code (B, outChannels, outHeight,
 * outWidth)}. Swin-B: grid 7, shuffle 32, 3 channels (a 3 x 224 x 224 image).
 * <p>
 * Pixel shuffle follows {@code torch.nn.PixelShuffle}: feature {@code c * r^2 + i * r + j} of the token at
 * {@code (h, w)} becomes pixel {@code (c, h * r + i, w * r + j)}.
 *
 * @param width           encoder output width
 * @param grid            tokens per side of the encoder output
 * @param shuffle         pixel-shuffle factor r
 * @param shuffleChannels channels of the shuffled image (3 in ORCA)
 * @param outChannels     target channels
 * @param outHeight       target height
 * @param outWidth        target width
 */
public record DensePredictor2d(int width, int grid, int shuffle, int shuffleChannels, int outChannels, int outHeight,
                               int outWidth) implements Predictor, LayoutModule {
    public DensePredictor2d {
        if (width <= 0 || grid <= 0 || shuffle <= 0 || shuffleChannels <= 0 || outChannels <= 0 || outHeight <= 0
                || outWidth <= 0) {
            throw new ModelConfigException("2-D dense predictor sizes must be positive: width " + width + ", grid "
                    + grid + ", shuffle " + shuffle + ", shuffleChannels " + shuffleChannels + ", output "
                    + outChannels + " x " + outHeight + " x " + outWidth);
        }
    }

    @Override
    public ParamLayout layout() {
        return new ParamLayout().linear("linear", width, (long) shuffleChannels * shuffle * shuffle, true);
    }

    @Override
    public NDArray forward(Params params, NDArray tokens) {
        Shape s = tokens.getShape();
        if (s.dimension() != 3 || s.get(1) != (long) grid * grid || s.get(2) != width) {
            throw new InputShapeException("2-D dense predictor", s,
                    "tokens (B, " + (long) grid * grid + ", " + width + ")");
        }
        long b = s.get(0);
        int side = grid * shuffle;
        NDArray image = pixelShuffle(Blocks.linear(params, "linear", tokens), grid, shuffle, shuffleChannels);
        // channel pooling on (B, c0, side*side), then spatial pooling on (B, C_out, side, side)
        NDArray pooled = poolChannels(image.reshape(b, shuffleChannels, (long) side * side));
        return Resampling.adaptiveAvgPool2d(pooled.reshape(b, outChannels, side, side), outHeight, outWidth);
    }

    private NDArray poolChannels(NDArray x) {
        // (C_out, c0) @ (B, c0, P): one matMul over the channel axis
        if (shuffleChannels == outChannels) {
            return x;
        }
        double[] m = Resampling.adaptiveAverageMatrix(shuffleChannels, outChannels);
        return ParamLayout.fromDoubles(x.getManager(), m, new Shape(outChannels, shuffleChannels), x.getDataType())
                .matMul(x);
    }

    /** {@code (B, g*g, c0*r*r)} token features to the image {@code (B, c0, g*r, g*r)}. */
    static NDArray pixelShuffle(NDArray features, int g, int r, int c0) {
        long b = features.getShape().get(0);
        // (B, h, w, c, i, j) -> (B, c, h, i, w, j)
        return features.reshape(b, g, g, c0, r, r).transpose(0, 3, 1, 4, 2, 5).reshape(b, c0, (long) g * r,
                (long) g * r);
    }
}
