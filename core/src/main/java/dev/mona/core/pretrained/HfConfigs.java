package dev.mona.core.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mona.core.model.BertConfig;
import dev.mona.core.model.EncoderConfig;
import dev.mona.core.model.SwinConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Hugging Face {@code config.json} read into the project's encoder configuration: {@code model_type} "swin" into a
 * {@link SwinConfig}, "roberta" into a {@link BertConfig} with RoBERTa's position ids. Settings the encoders do not
 * implement (absolute position embeddings in Swin, an activation other than GELU, relative position embeddings in
 * RoBERTa) are a {@link PretrainedWeightsException} naming the field, not a silently different model.
 */
public final class HfConfigs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfigs() {}

    /** Parses {@code json} (the text of {@code config.json}) of {@code repo}. */
    public static EncoderConfig parse(String repo, String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new PretrainedWeightsException(repo + ": config.json is not JSON: " + e.getMessage(), e);
        }
        String type = text(repo, n, "model_type");
        return switch (type) {
            case "swin" -> swin(repo, n);
            case "roberta" -> roberta(repo, n);
            default -> throw new PretrainedWeightsException(repo + ": config.json model_type '" + type
                    + "' is not a source mona can load (swin, roberta)");
        };
    }

    private static SwinConfig swin(String repo, JsonNode n) {
        require(repo, n, "use_absolute_embeddings", false);
        require(repo, n, "qkv_bias", true);
        requireText(repo, n, "hidden_act", "gelu");
        return new SwinConfig(integer(repo, n, "image_size"), integer(repo, n, "patch_size"),
                integer(repo, n, "num_channels"), integer(repo, n, "embed_dim"), ints(repo, n, "depths"),
                ints(repo, n, "num_heads"), integer(repo, n, "window_size"), real(repo, n, "mlp_ratio"),
                real(repo, n, "layer_norm_eps"));
    }

    private static BertConfig roberta(String repo, JsonNode n) {
        requireText(repo, n, "hidden_act", "gelu");
        requireText(repo, n, "position_embedding_type", "absolute");
        return new BertConfig(integer(repo, n, "vocab_size"), integer(repo, n, "hidden_size"),
                integer(repo, n, "num_hidden_layers"), integer(repo, n, "num_attention_heads"),
                integer(repo, n, "intermediate_size"), integer(repo, n, "max_position_embeddings"),
                integer(repo, n, "type_vocab_size"), integer(repo, n, "pad_token_id"), true,
                real(repo, n, "layer_norm_eps"), "roberta.");
    }

    private static JsonNode field(String repo, JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new PretrainedWeightsException(repo + ": config.json has no '" + name + "'");
        }
        return v;
    }

    private static String text(String repo, JsonNode n, String name) {
        return field(repo, n, name).asText();
    }

    private static int integer(String repo, JsonNode n, String name) {
        JsonNode v = field(repo, n, name);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new PretrainedWeightsException(repo + ": config.json '" + name + "' is " + v + ", not an integer");
        }
        return v.asInt();
    }

    private static double real(String repo, JsonNode n, String name) {
        JsonNode v = field(repo, n, name);
        if (!v.isNumber()) {
            throw new PretrainedWeightsException(repo + ": config.json '" + name + "' is " + v + ", not a number");
        }
        return v.asDouble();
    }

    private static List<Integer> ints(String repo, JsonNode n, String name) {
        JsonNode v = field(repo, n, name);
        List<Integer> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(x -> out.add(x.asInt()));
        }
        if (out.isEmpty() || out.size() != v.size()) {
            throw new PretrainedWeightsException(repo + ": config.json '" + name + "' is " + v
                    + ", not a list of integers");
        }
        return out;
    }

    /** An optional boolean field that, when present, must have {@code want}. */
    private static void require(String repo, JsonNode n, String name, boolean want) {
        JsonNode v = n.get(name);
        if (v != null && !v.isNull() && v.asBoolean() != want) {
            throw new PretrainedWeightsException(repo + ": config.json '" + name + "' is " + v + "; mona's encoder "
                    + "implements only " + want);
        }
    }

    /** An optional text field that, when present, must be {@code want}. */
    private static void requireText(String repo, JsonNode n, String name, String want) {
        JsonNode v = n.get(name);
        if (v != null && !v.isNull() && !want.equals(v.asText())) {
            throw new PretrainedWeightsException(repo + ": config.json '" + name + "' is " + v + "; mona's encoder "
                    + "implements only \"" + want + "\"");
        }
    }
}
