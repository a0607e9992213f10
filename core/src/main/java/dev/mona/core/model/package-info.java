/**
 * The model family of the method: target embedders, pretrained encoders and target predictors as pure functions
 * over named parameters ({@link dev.mona.core.model.Params}), assembled into a
 * {@link dev.mona.core.model.TransferModel} {@code h(f(e(x)))} by {@link dev.mona.core.model.Architectures}.
 *
 * <h2>Parameter names</h2>
 * Local names follow the published checkpoints so that safetensors load one to one:
 * <ul>
 * <li>{@link dev.mona.core.model.VitEncoder}: timm {@code VisionTransformer} names ({@code patch_embed.proj},
 * {@code cls_token}, {@code pos_embed}, {@code blocks.{i}.attn.qkv}, ..., {@code norm}).</li>
 * <li>{@link dev.mona.core.model.SwinEncoder}: Hugging Face {@code SwinModel} names <em>without</em> the
 * {@code swin.} prefix that {@code SwinForImageClassification} files (such as
 * {@code microsoft/swin-base-patch4-window7-224-in22k}) carry: strip
 * {@link dev.mona.core.model.SwinConfig#CHECKPOINT_PREFIX} when loading, drop {@code classifier.*}, and skip the
 * {@code relative_position_index} buffers ({@link dev.mona.core.model.SwinEncoder#isComputedBuffer}), which are
 * recomputed.</li>
 * <li>{@link dev.mona.core.model.BertEncoder}: Hugging Face {@code BertModel} / {@code RobertaModel} names without
 * the model prefix ({@link dev.mona.core.model.BertConfig#checkpointPrefix()}: {@code roberta.} for
 * {@code roberta-base}, none for sentence-transformers' MiniLM); buffers and unused heads are listed by
 * {@link dev.mona.core.model.BertEncoder#isIgnoredCheckpointName}.</li>
 * <li>Embedders ({@code projection}, {@code norm}, {@code position_embeddings}) and predictors
 * ({@code classifier}, {@code linear}) use ORCA-like names; {@link dev.mona.core.model.TransferModel} prefixes
 * every part ({@code embedder.}, {@code encoder.}, {@code predictor.}).</li>
 * </ul>
 * An encoder's parameters include its own source embedding layer ({@link dev.mona.core.model.Encoder#sourceEmbedder()}),
 * which the target path does not use: those parameters get no gradient from the task loss.
 *
 * <h2>Autograd</h2>
 * Every op has a double backward in libtorch (MoNA differentiates through the encoder twice); resizing and
 * adaptive pooling are matrix products ({@link dev.mona.core.model.Resampling}); results that start from a
 * parameter are moved to the input's manager ({@link dev.mona.core.model.Blocks#own}) so a step's arrays all die
 * with the step's manager. Wrong input shapes raise {@link dev.mona.core.model.InputShapeException}, impossible
 * configurations {@link dev.mona.core.model.ModelConfigException}; both extend
 * {@link dev.mona.core.model.MonaModelException}.
 */
package dev.mona.core.model;
