package dev.mona.activities.stage;

import dev.mona.core.fetch.ContentCache;
import dev.mona.core.fetch.DatasetFetcher;
import dev.mona.core.fetch.DownloadOptions;
import dev.mona.core.fetch.Downloader;
import dev.mona.core.fetch.ExtractionLimits;
import dev.mona.core.fetch.Digests;
import dev.mona.core.fetch.Mirrors;
import dev.mona.core.fetch.SafeExtractor;
import dev.mona.core.pretrained.HfCheckpoint;
import dev.mona.core.pretrained.HfFiles;
import dev.mona.core.pretrained.SourceEncoder;
import dev.mona.core.pretrained.SourceFilesMissingException;
import dev.mona.workflows.InvalidRequestException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The default-source rule (ORCA's source when its files are available without probing the network, else the
 * offline one), the check of a requested source against the task's inputs, and the offline places
 * {@link HfFiles} reads from: a local-directory endpoint and an existing Hugging Face cache.
 */
class SourceChoiceTest {
    static final String SWIN_REPO = "microsoft/swin-base-patch4-window7-224-in22k";
    static final List<String> KEYS = List.of(HfCheckpoint.ENDPOINT_ENV, HfCheckpoint.HF_ENDPOINT_ENV, "HF_HOME",
            "MONA_CACHE", "HF_TOKEN");

    @TempDir
    Path dir;
    private final Map<String, String> before = new TreeMap<>();

    @BeforeEach
    void isolate() {
        for (String k : KEYS) {
            before.put(k, System.getProperty(k));
            System.clearProperty(k);
        }
        // an empty Hugging Face cache and content cache; the endpoint variables may still be set in the environment
        System.setProperty("HF_HOME", dir.resolve("hf-home").toString());
        System.setProperty("MONA_CACHE", dir.resolve("mona-cache").toString());
    }

    @AfterEach
    void restore() {
        before.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private static boolean endpointInEnvironment() {
        return System.getenv(HfCheckpoint.ENDPOINT_ENV) != null || System.getenv(HfCheckpoint.HF_ENDPOINT_ENV) != null;
    }

    @Test
    void withNothingAvailableEachTaskGetsItsOfflineSourceAndSaysWhy() {
        org.junit.jupiter.api.Assumptions.assumeFalse(endpointInEnvironment(), "a Hugging Face endpoint is set");
        SourceStage.Choice image = SourceStage.choose("", "offline-pde-darcy");
        assertEquals("fashion-mnist-vit", image.name());
        assertTrue(image.reason().contains("swin-base is not available") && image.reason().contains("MONA_HF_ENDPOINT"),
                image.reason());
        assertEquals("minilm", SourceStage.choose("", "offline-dna").name());
        // the request then carries the offline source as the empty name: one run id for both spellings
        assertEquals("", SourceStage.canonical("fashion-mnist-vit", "offline-pde-darcy"));
        assertEquals("fashion-mnist-vit", SourceStage.resolve("", "offline-pde-darcy"));
    }

    @Test
    void anEndpointTheUserSetMakesOrcasSourcesTheDefault() {
        System.setProperty(HfCheckpoint.ENDPOINT_ENV, "https://hub.example");
        SourceStage.Choice image = SourceStage.choose("", "offline-pde-darcy");
        assertEquals("swin-base", image.name());
        assertTrue(image.reason().contains("MONA_HF_ENDPOINT=https://hub.example"), image.reason());
        assertEquals("roberta-base", SourceStage.choose("", "offline-dna").name());
        assertEquals("swin-base", SourceStage.canonical("swin-base", "offline-pde-darcy"));
    }

    @Test
    void anExistingHuggingFaceCacheIsReadOffline() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(endpointInEnvironment(), "a Hugging Face endpoint is set");
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Path repo = dir.resolve("hf-home/hub/models--microsoft--swin-base-patch4-window7-224-in22k");
        Path snap = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit + "\n");
        Files.writeString(snap.resolve("config.json"), "{\"model_type\": \"swin\"}");
        assertEquals("fashion-mnist-vit", SourceStage.choose("", "offline-pde-darcy").name(),
                "the weights are not in the cache yet");
        Files.write(snap.resolve("model.safetensors"), new byte[]{1, 2, 3});
        SourceStage.Choice c = SourceStage.choose("", "offline-pde-darcy");
        assertEquals("swin-base", c.name());
        assertTrue(c.reason().contains(snap.toString()), c.reason());
        assertEquals("minilm", SourceStage.choose("", "offline-dna").name(), "RoBERTa is not cached");

        // fetched from the cache without any server (the endpoint answers nothing), recorded with its digest
        System.setProperty(HfCheckpoint.ENDPOINT_ENV, "http://127.0.0.1:9");
        HfFiles.Fetched f = HfFiles.fetch(SWIN_REPO, "main", SourceEncoder.SWIN_FILES, fetcher());
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(f.file("model.safetensors")));
        assertEquals(Digests.sha256(new byte[]{1, 2, 3}), f.sha256().get("model.safetensors"));
        assertTrue(f.origins().get("config.json").startsWith("file:"), f.origins().toString());
    }

    @Test
    void aLocalDirectoryEndpointServesTheRepositoryFiles() throws Exception {
        Path local = dir.resolve("models");
        System.setProperty(HfCheckpoint.ENDPOINT_ENV, local.toString());
        assertEquals("fashion-mnist-vit", SourceStage.choose("", "offline-pde-darcy").name());
        SourceFilesMissingException missing = assertThrows(SourceFilesMissingException.class,
                () -> HfFiles.fetch(SWIN_REPO, "main", SourceEncoder.SWIN_FILES, fetcher()));
        assertTrue(missing.getMessage().contains("config.json") && missing.getMessage().contains(local.toString()),
                missing.getMessage());
        Path repo = Files.createDirectories(local.resolve(SWIN_REPO));
        Files.writeString(repo.resolve("config.json"), "{}");
        Files.write(repo.resolve("model.safetensors"), new byte[]{4, 5});
        assertEquals("swin-base", SourceStage.choose("", "offline-pde-darcy").name());
        HfFiles.Fetched f = HfFiles.fetch(SWIN_REPO, "main", SourceEncoder.SWIN_FILES, fetcher());
        assertEquals(Digests.sha256(new byte[]{4, 5}), f.sha256().get("model.safetensors"));
    }

    @Test
    void aRequestedSourceMustFitTheTasksInputs() {
        assertEquals("swin-base", SourceStage.choose("Swin-Base", "offline-pde-darcy").name());
        assertEquals("requested", SourceStage.choose("swin-base", "offline-pde-darcy").reason());
        InvalidRequestException text = assertThrows(InvalidRequestException.class,
                () -> SourceStage.resolve("roberta-base", "offline-pde-darcy"));
        assertTrue(text.getMessage().contains("text encoder") && text.getMessage().contains("swin-base"),
                text.getMessage());
        assertThrows(InvalidRequestException.class, () -> SourceStage.resolve("swin-base", "offline-dna"));
        InvalidRequestException unknown = assertThrows(InvalidRequestException.class,
                () -> SourceStage.resolve("swin-large", "offline-dna"));
        assertTrue(unknown.getMessage().contains("fashion-mnist-vit, minilm, swin-base, roberta-base"),
                unknown.getMessage());
    }

    private DatasetFetcher fetcher() {
        return new DatasetFetcher(new ContentCache(dir.resolve("mona-cache")), new Downloader(DownloadOptions
                .defaults().withAttempts(1, java.time.Duration.ofMillis(1))), new Mirrors(Map.of(), Map.of()),
                new SafeExtractor(ExtractionLimits.defaults()));
    }
}
