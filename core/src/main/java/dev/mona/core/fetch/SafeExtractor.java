package dev.mona.core.fetch;

import dev.mona.core.io.FileTrees;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Extracts zip, tar and tar.gz archives (commons-compress) without trusting them:
 * <ul>
 *   <li>entry names that are absolute ({@code /x}, {@code C:\x}, {@code \\host}) or contain a {@code ..} element are
 *       rejected, and every resolved path must stay inside the destination;</li>
 *   <li>symbolic and hard links pointing outside the destination are rejected; links pointing inside are not
 *       created (data sets need none), and nothing is ever written through an existing link;</li>
 *   <li>bytes are counted while they are written: the total, the number of entries and the expansion ratio
 *       are capped by {@link ExtractionLimits};</li>
 *   <li>device files and FIFOs are skipped.</li>
 * </ul>
 * Extraction goes to a staging folder next to the destination that is moved into place only when the whole archive
 * passed; on any rejection the staging folder is deleted and {@link UnsafeArchiveException} is thrown.
 */
public final class SafeExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(SafeExtractor.class);

    private final ExtractionLimits limits;

    public SafeExtractor(ExtractionLimits limits) {
        this.limits = limits;
    }

    /** Archive kinds, detected from the first bytes. */
    public enum Kind { ZIP, TAR, TAR_GZ }

    public static Kind detect(Path archive) throws IOException {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(archive)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && (head[3] == 4 || head[3] == 6)) {
            return Kind.ZIP;
        }
        if (n >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b) {
            return Kind.TAR_GZ;
        }
        if (n >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return Kind.TAR;
        }
        String name = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tar")) {
            return Kind.TAR;
        }
        throw new UnsafeArchiveException(archive.toString(), "", "not a zip, tar or tar.gz archive");
    }

    /**
     * Extracts {@code archive} into {@code destination} (created if missing).
     *
     * @return the regular files written, inside {@code destination}
     */
    public List<Path> extract(Path archive, Path destination) throws IOException {
        Path dest = destination.toAbsolutePath().normalize();
        Files.createDirectories(dest.getParent());
        Path staging = dest.resolveSibling("." + dest.getFileName() + ".extracting-" + UUID.randomUUID());
        Files.createDirectories(staging);
        Counter counter = new Counter(archive.toString(), Math.max(1, Files.size(archive)));
        List<Path> written = new ArrayList<>();
        try {
            Kind kind = detect(archive);
            if (kind == Kind.ZIP) {
                extractZip(archive, staging, counter, written);
            } else {
                extractTar(archive, kind == Kind.TAR_GZ, staging, counter, written);
            }
            List<Path> out = new ArrayList<>();
            Files.createDirectories(dest);
            for (Path p : written) {
                Path rel = staging.relativize(p);
                Path finalPath = dest.resolve(rel);
                Files.createDirectories(finalPath.getParent());
                Files.move(p, finalPath, StandardCopyOption.REPLACE_EXISTING);
                out.add(finalPath);
            }
            LOG.info("extracted {} files ({} bytes) from {}", out.size(), counter.total, archive);
            return out;
        } finally {
            FileTrees.deleteTree(staging);
        }
    }

    private void extractZip(Path archive, Path staging, Counter counter, List<Path> written) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry e = entries.nextElement();
                Path target = checkedPath(archive, staging, e.getName());
                counter.entry(e.getName());
                if (e.isUnixSymlink()) {
                    String link;
                    try (InputStream in = zip.getInputStream(e)) {
                        link = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                    }
                    checkLink(archive, staging, target, e.getName(), link, false);
                    continue;
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    write(in, staging, target, e.getName(), counter);
                }
                written.add(target);
            }
        }
    }

    private void extractTar(Path archive, boolean gz, Path staging, Counter counter, List<Path> written)
            throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             InputStream un = gz ? new GzipCompressorInputStream(raw, true) : raw;
             ArchiveInputStream<TarArchiveEntry> tar = new TarArchiveInputStream(un)) {
            ArchiveEntry ae;
            while ((ae = tar.getNextEntry()) != null) {
                TarArchiveEntry e = (TarArchiveEntry) ae;
                Path target = checkedPath(archive, staging, e.getName());
                counter.entry(e.getName());
                if (e.isSymbolicLink() || e.isLink()) {
                    checkLink(archive, staging, target, e.getName(), e.getLinkName(), e.isLink());
                    continue;
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                if (!e.isFile()) {
                    LOG.warn("skipping special entry {} in {}", e.getName(), archive);
                    continue;
                }
                write(tar, staging, target, e.getName(), counter);
                written.add(target);
            }
        }
    }

    /** Resolves an entry name inside the staging folder, rejecting absolute names and {@code ..}. */
    static Path checkedPath(Path archive, Path root, String name) {
        String n = name.replace('\\', '/');
        if (n.isEmpty() || n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.indexOf('\0') >= 0) {
            throw new UnsafeArchiveException(archive.toString(), name, "absolute or empty path");
        }
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                throw new UnsafeArchiveException(archive.toString(), name, "path climbs out with '..'");
            }
        }
        Path p = root.resolve(n).normalize();
        if (!p.startsWith(root)) {
            throw new UnsafeArchiveException(archive.toString(), name, "resolves outside the destination");
        }
        return p;
    }

    private static void checkLink(Path archive, Path root, Path entryPath, String name, String link, boolean hard) {
        if (link == null || link.isEmpty()) {
            throw new UnsafeArchiveException(archive.toString(), name, "link without a target");
        }
        String l = link.replace('\\', '/');
        if (l.startsWith("/") || l.matches("^[A-Za-z]:.*")) {
            throw new UnsafeArchiveException(archive.toString(), name, "link to the absolute path " + link);
        }
        // symlink targets are relative to the link's folder, hard link targets to the archive root
        Path base = hard ? root : entryPath.getParent();
        Path resolved = base.resolve(l).normalize();
        if (!resolved.startsWith(root)) {
            throw new UnsafeArchiveException(archive.toString(), name, "link to " + link + " points outside the"
                    + " destination");
        }
        LOG.warn("not creating link {} -> {} from {} (links are not extracted)", name, link, archive);
    }

    private void write(InputStream in, Path root, Path target, String name, Counter counter) throws IOException {
        Files.createDirectories(target.getParent());
        // never write through a link that is already on disk
        for (Path p = target.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new UnsafeArchiveException(root.toString(), name, "parent folder " + p + " is a link");
            }
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isSymbolicLink(target)) {
            throw new UnsafeArchiveException(root.toString(), name, "target is a link");
        }
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                counter.add(name, r);
                out.write(buf, 0, r);
            }
        }
    }

    private final class Counter {
        private final String archive;
        private final long archiveBytes;
        private long total;
        private int entries;

        Counter(String archive, long archiveBytes) {
            this.archive = archive;
            this.archiveBytes = archiveBytes;
        }

        void entry(String name) {
            if (++entries > limits.maxEntries()) {
                throw new UnsafeArchiveException(archive, name, "more than " + limits.maxEntries() + " entries");
            }
        }

        void add(String name, long n) {
            total += n;
            if (total > limits.maxTotalBytes()) {
                throw new UnsafeArchiveException(archive, name, "expands beyond " + limits.maxTotalBytes()
                        + " bytes (decompression bomb?)");
            }
            if (total > limits.ratioFloor() && (double) total / archiveBytes > limits.maxRatio()) {
                throw new UnsafeArchiveException(archive, name, "expands " + (total / archiveBytes) + "x its size of "
                        + archiveBytes + " bytes, over the limit of " + limits.maxRatio() + "x (decompression bomb?)");
            }
        }
    }
}
