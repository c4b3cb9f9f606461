package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte layouts are drawn in each class's comment beside the offset constants; this reads the drawings from the
 * source and checks every drawn field against its {@code <NAME>_OFFSET} constant, so a drawing cannot drift from the
 * code again. Two drawing forms are read: a row of offsets over a row of {@code |}-separated fields (a field starts
 * at the column of its offset), and lines {@code <offset>: <NAME> ...}.
 */
class LayoutDrawingTest {

    private static final Path SOURCES = Path.of("src/main/java/io/github/singleinstance/internal/wire");
    private static final Pattern OFFSET_ROW = Pattern.compile("^\\s*\\d+(\\s+\\d+)*\\s*$");
    private static final Pattern OFFSET_LINE = Pattern.compile("^\\s*(\\d+): ([A-Z][A-Z0-9_]*)\\b.*");
    private static final Pattern FIELD_NAME = Pattern.compile("^\\s*([A-Z][A-Z0-9_]*)\\b.*");
    /** The drawings' abbreviations, where a cell is too narrow for the constant's name. */
    private static final Map<String, String> ABBREVIATIONS =
            Map.of("LEN", "LENGTH", "CNT", "COUNT", "CAP", "CAPACITY", "CRC32C", "CRC");

    @ParameterizedTest
    @ValueSource(strings = {"ChannelLayout", "ClaimHeader", "LaunchCodec", "ReplySlots", "LaunchRing"})
    void everyDrawnFieldSitsAtItsConstantsOffset(String className) throws Exception {
        Map<String, Integer> drawn = drawnOffsets(Files.readAllLines(SOURCES.resolve(className + ".java")));
        assertThat(drawn).as("fields drawn in " + className).isNotEmpty();
        Class<?> type = Class.forName(LayoutDrawingTest.class.getPackageName() + "." + className);
        for (Map.Entry<String, Integer> field : drawn.entrySet()) {
            assertThat(constant(type, field.getKey()))
                    .as(className + ": " + field.getKey() + " is drawn at offset " + field.getValue())
                    .isEqualTo(field.getValue());
        }
    }

    /** Field name (the constant's stem) to the offset the drawing shows. */
    static Map<String, Integer> drawnOffsets(List<String> source) {
        List<String> lines = new ArrayList<>();
        boolean inDrawing = false;
        for (String line : source) {
            String text = line.replaceFirst("^\\s*\\* ?", "");
            if (text.contains("<pre>")) {
                inDrawing = true;
            } else if (text.contains("</pre>")) {
                inDrawing = false;
            } else if (inDrawing) {
                lines.add(text);
            }
        }
        Map<String, Integer> drawn = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher single = OFFSET_LINE.matcher(line);
            if (single.matches()) {
                drawn.put(single.group(2), Integer.parseInt(single.group(1)));
            } else if (OFFSET_ROW.matcher(line).matches()) {
                String fields = nextFieldRow(lines, i + 1);
                if (fields != null) {
                    readRow(line, fields, drawn);
                }
            }
        }
        return drawn;
    }

    private static String nextFieldRow(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("|")) {
                return lines.get(i);
            }
            if (!line.startsWith("+")) {
                return null;
            }
        }
        return null;
    }

    private static void readRow(String offsets, String fields, Map<String, Integer> drawn) {
        Matcher number = Pattern.compile("\\d+").matcher(offsets);
        while (number.find()) {
            int column = number.start();
            if (column < fields.length() && fields.charAt(column) == '|' && column + 1 < fields.length()) {
                Matcher name = FIELD_NAME.matcher(fields.substring(column + 1));
                if (name.matches()) {
                    drawn.put(name.group(1), Integer.parseInt(number.group()));
                }
            }
        }
    }

    private static int constant(Class<?> type, String drawnName) throws IllegalAccessException {
        List<String> candidates = new ArrayList<>();
        candidates.add(drawnName);
        String expanded = drawnName;
        for (Map.Entry<String, String> abbreviation : ABBREVIATIONS.entrySet()) {
            expanded = expanded.replaceAll(
                    "(^|_)" + abbreviation.getKey() + "($|_)", "$1" + abbreviation.getValue() + "$2");
        }
        candidates.add(expanded);
        for (String candidate : candidates) {
            try {
                Field field = type.getDeclaredField(candidate + "_OFFSET");
                return field.getInt(null);
            } catch (NoSuchFieldException e) {
                // try the next spelling
            }
        }
        throw new AssertionError(type.getSimpleName() + " draws " + drawnName + " but has no constant "
                + String.join("_OFFSET or ", candidates) + "_OFFSET");
    }

    @org.junit.jupiter.api.Test
    void theReaderFindsFieldsInBothForms() throws IOException {
        Map<String, Integer> drawn = drawnOffsets(List.of(
                " * <pre>",
                " *   0         4         8",
                " *   +---------+---------+",
                " *   | LENGTH  |  TYPE   |",
                " *   256: DOORBELL (int)",
                " * </pre>"));
        assertThat(drawn).containsExactly(Map.entry("LENGTH", 0), Map.entry("TYPE", 4), Map.entry("DOORBELL", 256));
    }
}
