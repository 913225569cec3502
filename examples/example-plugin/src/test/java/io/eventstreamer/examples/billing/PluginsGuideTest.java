package io.eventstreamer.examples.billing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * docs/plugins.md quotes this module: each code block after a line
 * {@code <!-- from examples/example-plugin/FILE -->} must still be in that file, verbatim, apart
 * from the lines left out where the block says {@code // ...}.
 */
class PluginsGuideTest {
    private static final Path PROJECT_ROOT = Path.of("../..");
    private static final Path GUIDE = PROJECT_ROOT.resolve("docs/plugins.md");
    private static final Pattern FROM = Pattern.compile("^<!-- from (\\S+) -->$");

    @Test
    @DisplayName("every code block docs/plugins.md quotes from the example is in the example as written")
    void quotedCodeMatchesTheModule() throws IOException {
        List<String> lines = Files.readAllLines(GUIDE, UTF_8);
        List<String> problems = new ArrayList<>();
        int quotes = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher from = FROM.matcher(lines.get(i));
            if (!from.matches()) {
                continue;
            }
            quotes++;
            Path file = PROJECT_ROOT.resolve(from.group(1));
            if (!Files.isRegularFile(file)) {
                problems.add(String.format("line %d quotes %s, which does not exist", i + 1, from.group(1)));
                continue;
            }
            String content = Files.readString(file, UTF_8);
            for (String chunk : chunks(lines, i + 1)) {
                if (!content.contains(chunk)) {
                    problems.add(String.format("line %d: %s no longer contains:%n%s", i + 1, from.group(1), chunk));
                }
            }
        }
        assertThat(quotes).as("quoted blocks in %s", GUIDE).isGreaterThanOrEqualTo(8);
        assertThat(problems).as("quotes in %s that differ from the example", GUIDE).isEmpty();
    }

    /** The code block that starts on line {@code fence}, split where it says "// ...". */
    private static List<String> chunks(List<String> lines, int fence) {
        assertThat(lines.get(fence)).as("line %d of %s opens a code block", fence + 1, GUIDE).startsWith("```");
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String line : lines.subList(fence + 1, lines.size())) {
            if (line.startsWith("```") || line.trim().equals("// ...")) {
                if (!chunk.toString().isBlank()) {
                    chunks.add(chunk.toString().strip());
                }
                chunk.setLength(0);
                if (line.startsWith("```")) {
                    return chunks;
                }
                continue;
            }
            chunk.append(line).append('\n');
        }
        throw new AssertionError("the code block at line " + (fence + 1) + " of " + GUIDE + " is not closed");
    }
}
