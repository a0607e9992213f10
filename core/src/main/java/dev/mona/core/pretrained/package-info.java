/**
 * Source encoders available offline and the published ones:
 * <ul>
 *   <li>{@link dev.mona.core.pretrained.MiniLm}: all-MiniLM-L6-v2 read from the ONNX file inside a Maven jar into
 *       the project's BERT encoder (checked against ONNX Runtime), with its WordPiece tokenizer, and
 *       {@link dev.mona.core.pretrained.SpamAssassin}, the labelled text source for MoNA's outer loss;</li>
 *   <li>{@link dev.mona.core.pretrained.HfCheckpoint}: Hugging Face safetensors of
 *       {@code microsoft/swin-base-patch4-window7-224-in22k} and {@code roberta-base} (endpoint override
 *       {@code MONA_HF_ENDPOINT} / {@code HF_ENDPOINT}), mapped into the project's encoders with shape checks;</li>
 *   <li>{@link dev.mona.core.pretrained.Pretrain}: a small ViT pretrained on Fashion-MNIST, the offline image source
 *       encoder, saved with its source embedder and head.</li>
 * </ul>
 */
package dev.mona.core.pretrained;
