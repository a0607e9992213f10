package dev.mona.core.pretrained;

import dev.mona.core.model.BertConfig;
import dev.mona.core.model.SwinConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The published {@code config.json} files of ORCA's sources read into the encoders' configurations. */
class HfConfigsTest {
    /** {@code microsoft/swin-base-patch4-window7-224-in22k}'s config.json, its id2label map left out. */
    static final String SWIN_BASE = "{\"architectures\": [\"SwinForImageClassification\"],"
            + " \"attention_probs_dropout_prob\": 0.0, \"depths\": [2, 2, 18, 2], \"drop_path_rate\": 0.1,"
            + " \"embed_dim\": 128, \"encoder_stride\": 32, \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.0,"
            + " \"hidden_size\": 1024, \"image_size\": 224, \"initializer_range\": 0.02, \"layer_norm_eps\": 1e-05,"
            + " \"mlp_ratio\": 4.0, \"model_type\": \"swin\", \"num_channels\": 3, \"num_heads\": [4, 8, 16, 32],"
            + " \"num_layers\": 4, \"patch_size\": 4, \"path_norm\": true, \"qkv_bias\": true,"
            + " \"torch_dtype\": \"float32\", \"use_absolute_embeddings\": false, \"window_size\": 7}";
    /** {@code FacebookAI/roberta-base}'s config.json. */
    static final String ROBERTA_BASE = "{\"architectures\": [\"RobertaForMaskedLM\"],"
            + " \"attention_probs_dropout_prob\": 0.1, \"bos_token_id\": 0, \"eos_token_id\": 2,"
            + " \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.1, \"hidden_size\": 768,"
            + " \"initializer_range\": 0.02, \"intermediate_size\": 3072, \"layer_norm_eps\": 1e-05,"
            + " \"max_position_embeddings\": 514, \"model_type\": \"roberta\", \"num_attention_heads\": 12,"
            + " \"num_hidden_layers\": 12, \"pad_token_id\": 1, \"type_vocab_size\": 1, \"vocab_size\": 50265}";

    @Test
    void orcasSourcesReadIntoTheKnownConfigurations() {
        assertEquals(SwinConfig.swinBasePatch4Window7_224(), HfConfigs.parse("swin", SWIN_BASE));
        assertEquals(BertConfig.robertaBase(), HfConfigs.parse("roberta", ROBERTA_BASE));
    }

    @Test
    void settingsTheEncodersDoNotImplementAreTypedErrorsNamingTheField() {
        PretrainedWeightsException abs = assertThrows(PretrainedWeightsException.class, () -> HfConfigs.parse(
                "r", SWIN_BASE.replace("\"use_absolute_embeddings\": false", "\"use_absolute_embeddings\": true")));
        assertTrue(abs.getMessage().contains("use_absolute_embeddings"), abs.getMessage());
        PretrainedWeightsException act = assertThrows(PretrainedWeightsException.class, () -> HfConfigs.parse(
                "r", ROBERTA_BASE.replace("\"gelu\"", "\"relu\"")));
        assertTrue(act.getMessage().contains("hidden_act"), act.getMessage());
        PretrainedWeightsException missing = assertThrows(PretrainedWeightsException.class, () -> HfConfigs.parse(
                "r", ROBERTA_BASE.replace("\"vocab_size\": 50265", "\"vocab\": 1")));
        assertTrue(missing.getMessage().contains("vocab_size"), missing.getMessage());
        PretrainedWeightsException type = assertThrows(PretrainedWeightsException.class, () -> HfConfigs.parse(
                "r", "{\"model_type\": \"vit\"}"));
        assertTrue(type.getMessage().contains("'vit'"), type.getMessage());
        assertThrows(PretrainedWeightsException.class, () -> HfConfigs.parse("r", "{not json"));
    }
}
