/**
 * The source encoders, by name ({@link dev.mona.core.pretrained.SourceEncoder}), and their source sets:
 * <ul>
 *   <li>{@link dev.mona.core.pretrained.HfFiles}, {@link dev.mona.core.pretrained.HfConfigs},
 *       {@link dev.mona.core.pretrained.HfCheckpoint}: ORCA's published sources
 *       {@code microsoft/swin-base-patch4-window7-224-in22k} and {@code roberta-base}, fetched once (endpoint
 *       {@code MONA_HF_ENDPOINT} / {@code HF_ENDPOINT}, a local directory or an existing Hugging Face cache;
 *       checksummed), configured from their {@code config.json} and mapped into the project's encoders with name
 *       and shape checks; {@link dev.mona.core.pretrained.Cifar10}, the image source set read from the official
 *       pickle batches;</li>
 *   <li>{@link dev.mona.core.pretrained.MiniLm}: all-MiniLM-L6-v2 read from the ONNX file inside a Maven jar into
 *       the project's BERT encoder (checked against ONNX Runtime), with its WordPiece tokenizer, and
 *       {@link dev.mona.core.pretrained.SpamAssassin}, the labelled text source for MoNA's outer loss (through
 *       MiniLM's or RoBERTa's tokenizer);</li>
 *   <li>{@link dev.mona.core.pretrained.Pretrain}: a small ViT pretrained on Fashion-MNIST, the offline image source
 *       encoder, saved with its source embedder and head.</li>
 * </ul>
 */
package dev.mona.core.pretrained;
