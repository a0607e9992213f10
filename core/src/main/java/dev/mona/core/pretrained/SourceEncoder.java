package dev.mona.core.pretrained;

import dev.mona.core.config.ConfigException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The source encoders a run can use, by the name a user gives ({@code --source}, a sweep's {@code source}). Two are
 * published Hugging Face checkpoints, ORCA's sources (PAPER-NOTES 2.1), fetched with {@link HfFiles}; two are
 * small offline sources that need no network.
 */
public enum SourceEncoder {
    /** A ViT pretrained here on Fashion-MNIST (28 px, patch 7, width 64, depth 2): offline, image inputs. */
    FASHION_MNIST_VIT("fashion-mnist-vit", false, null, null),
    /** all-MiniLM-L6-v2 (bundled with a Maven dependency): offline, 1-D inputs; source text SpamAssassin. */
    MINILM("minilm", true, null, null),
    /** Swin-B pretrained on ImageNet-22k, ORCA's source for 2-D tasks; source set CIFAR-10. */
    SWIN_BASE("swin-base", false, "microsoft/swin-base-patch4-window7-224-in22k", "main"),
    /** RoBERTa-base, ORCA's source for 1-D tasks; source text through RoBERTa's own tokenizer. */
    ROBERTA_BASE("roberta-base", true, "FacebookAI/roberta-base", "main");

    /** Files of a Swin repository the source stage needs. */
    public static final List<String> SWIN_FILES = List.of("config.json", "model.safetensors");
    /** Files of a RoBERTa repository the source stage needs (the tokenizer in the fast-tokenizer format). */
    public static final List<String> ROBERTA_FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    private final String id;
    private final boolean text;
    private final String repo;
    private final String revision;

    SourceEncoder(String id, boolean text, String repo, String revision) {
        this.id = id;
        this.text = text;
        this.repo = repo;
        this.revision = revision;
    }

    /** The name users give. */
    public String id() {
        return id;
    }

    /** True for text encoders (1-D tasks), false for image encoders (2-D tasks). */
    public boolean text() {
        return text;
    }

    /** True for published Hugging Face checkpoints (fetched), false for the offline sources. */
    public boolean published() {
        return repo != null;
    }

    /** Hugging Face repository id, null for an offline source. */
    public String repo() {
        return repo;
    }

    /** Git revision fetched (branch, tag or commit), null for an offline source. */
    public String revision() {
        return revision;
    }

    /** The repository files the source stage reads, empty for an offline source. */
    public List<String> files() {
        return !published() ? List.of() : text ? ROBERTA_FILES : SWIN_FILES;
    }

    /** ORCA's source for a task's inputs: RoBERTa for 1-D inputs, Swin-B for 2-D. */
    public static SourceEncoder orcaFor(boolean oneDimensional) {
        return oneDimensional ? ROBERTA_BASE : SWIN_BASE;
    }

    /** The offline source for a task's inputs: MiniLM for 1-D inputs, the Fashion-MNIST ViT for 2-D. */
    public static SourceEncoder offlineFor(boolean oneDimensional) {
        return oneDimensional ? MINILM : FASHION_MNIST_VIT;
    }

    /** The source named {@code id}, or a typed error listing the known ones. */
    public static SourceEncoder byId(String id) {
        String want = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (SourceEncoder s : values()) {
            if (s.id.equals(want)) {
                return s;
            }
        }
        throw new ConfigException("unknown source encoder '" + id + "'; available: " + String.join(", ", ids()));
    }

    /** Every name, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(SourceEncoder::id).toList();
    }
}
