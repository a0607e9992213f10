package dev.mona.cli.deploy;

import dev.mona.core.engine.Engines;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The build's libtorch choices in the parent pom: CPU builds on libtorch 2.7.1, the {@code cuda} profile pinned to
 * the newest CUDA build Maven Central holds (libtorch 2.5.1 cu124, through DJL 0.33, whose versions it must therefore
 * carry itself), 64-bit ARM Linux picked by the build machine's architecture, and the tests loading the libtorch the
 * build chose.
 */
class BuildProfilesTest {
    @Test
    void cpuBuildsLoadTheDefaultLibtorchAndTheCudaProfileCarriesItsOwnVersions() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(RepoFiles.root().resolve("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        Map<String, String> defaults = properties(child(project, "properties"));
        assertEquals("2.7.1", defaults.get("pytorch.version"));
        assertEquals("0.36.0", defaults.get("djl.version"));
        assertEquals("linux-x86_64", defaults.get("pytorch.native.classifier"));
        // the records name the libtorch a run loads: it must be the one the build's profiles chose (2.7.1 here,
        // 2.5.1 under -Pcuda), handed to the tests by surefire
        assertEquals(System.getProperty("mona.build.pytorch.version"), Engines.pytorch().getVersion());

        Map<String, Element> profiles = new HashMap<>();
        for (Element p : children(child(project, "profiles"), "profile")) {
            profiles.put(text(p, "id"), p);
        }
        Map<String, String> cuda = properties(child(profiles.get("cuda"), "properties"));
        assertEquals("pytorch-native-cu124", cuda.get("pytorch.native.artifact"));
        assertEquals("2.5.1", cuda.get("pytorch.version"), "no newer CUDA libtorch is on Maven Central");
        assertEquals("0.33.0", cuda.get("djl.version"), "pytorch-jni 2.5.1 exists for DJL 0.33, not 0.36");
        assertNotEquals(defaults.get("pytorch.version"), cuda.get("pytorch.version"));

        Element arm = profiles.get("linux-aarch64");
        assertNotNull(arm, "no profile for 64-bit ARM Linux");
        Element os = child(child(arm, "activation"), "os");
        assertEquals("Linux", text(os, "name"));
        assertEquals("aarch64", text(os, "arch"));
        assertEquals(Map.of("pytorch.native.classifier", "linux-aarch64"), properties(child(arm, "properties")));
    }

    private static Map<String, String> properties(Element properties) {
        Map<String, String> out = new HashMap<>();
        NodeList nodes = properties.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e) {
                out.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        Element c = children(parent, name).stream().findFirst().orElse(null);
        assertNotNull(c, "<" + name + "> missing under <" + parent.getTagName() + ">");
        return c;
    }

    private static java.util.List<Element> children(Element parent, String name) {
        java.util.List<Element> out = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }
}
