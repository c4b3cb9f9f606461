package io.github.singleinstance.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The starter's POM as it is installed and published (flatten-maven-plugin's output, every version resolved from the
 * parent's dependencyManagement): what a user's build resolves from it. Gradle takes the highest version of a module
 * in the graph, so a Spring Boot dependency newer than the oldest supported line here would move a Spring Boot 3.5
 * application onto a newer Boot.
 */
class PublishedPomTest {

    /** The oldest Spring Boot line the starter supports (spring-boot3-support, spring-boot-3.5-tests). */
    private static final int[] OLDEST_SUPPORTED = {3, 5};

    private static final Path POM = Path.of(System.getProperty("basedir", "."), "target", "published-pom.xml");

    @Test
    void asksForNoSpringBootNewerThanTheOldestSupportedLine() throws Exception {
        assertThat(POM)
                .as("written by flatten-maven-plugin (process-resources)")
                .isRegularFile();
        List<String> tooNew = new ArrayList<>();
        int springBoot = 0;
        for (Element dependency : dependencies(parse(POM))) {
            String scope = text(dependency, "scope");
            boolean reachesUsers = scope == null || scope.equals("compile") || scope.equals("runtime");
            if (!"org.springframework.boot".equals(text(dependency, "groupId")) || !reachesUsers) {
                continue;
            }
            springBoot++;
            String version = text(dependency, "version");
            if (version == null || newerThanOldestSupported(version)) {
                tooNew.add(text(dependency, "artifactId") + ":" + version + " (" + (scope == null ? "compile" : scope)
                        + ")");
            }
        }
        assertThat(tooNew)
                .as("Spring Boot dependencies (of %d) that a Boot 3.5 application would be upgraded to", springBoot)
                .isEmpty();
    }

    /** Central checks an io.github.NAME group against github.com/NAME: the project's URLs must name that account. */
    @Test
    void itsUrlsNameTheGitHubAccountOfItsGroupId() throws Exception {
        Element project = parse(POM).getDocumentElement();
        String groupId = text(project, "groupId");
        assertThat(groupId).startsWith("io.github.");
        String repository = "https://github.com/" + groupId.substring("io.github.".length()) + "/";
        assertThat(text(project, "url")).startsWith(repository);
        Element scm = child(project, "scm");
        assertThat(text(scm, "url")).startsWith(repository);
        assertThat(text(scm, "connection")).startsWith("scm:git:" + repository);
    }

    static boolean newerThanOldestSupported(String version) {
        String[] parts = version.split("[.-]");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return major != OLDEST_SUPPORTED[0] ? major > OLDEST_SUPPORTED[0] : minor > OLDEST_SUPPORTED[1];
    }

    @Test
    void versionsAreComparedByLine() {
        assertThat(newerThanOldestSupported("3.5.16")).isFalse();
        assertThat(newerThanOldestSupported("3.4.0")).isFalse();
        assertThat(newerThanOldestSupported("3.6.0")).isTrue();
        assertThat(newerThanOldestSupported("4.1.1")).isTrue();
        assertThat(newerThanOldestSupported("4.0.0-RC1")).isTrue();
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (var in = Files.newInputStream(pom)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> dependencies(Document pom) {
        List<Element> found = new ArrayList<>();
        Element dependencies = child(pom.getDocumentElement(), "dependencies"); // not dependencyManagement's
        if (dependencies != null) {
            NodeList nodes = dependencies.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element dependency
                        && dependency.getTagName().equals("dependency")) {
                    found.add(dependency);
                }
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().strip();
    }
}
