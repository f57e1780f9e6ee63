package se.nestit.audience.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document read strictly, for files that people write by hand. Every node knows its file,
 * its path ({@code rule.all[1].purchased}) and its line, so every error can say exactly where it
 * is. Scalars keep their text as written, which sidesteps YAML 1.1's surprises ({@code NO} read as
 * false would turn Norway into a boolean). Refused: duplicate keys, aliases (which makes anchors
 * pointless and alias bombs impossible; anchors on maps and lists are refused too, while the parser
 * does not show those on single values), documents nested deeper than {@value #MAX_DEPTH} and
 * files over {@value #MAX_BYTES} bytes.
 */
public final class YamlNode {

    static final int MAX_DEPTH = 64;
    static final int MAX_BYTES = 1 << 20;
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private enum Kind {
        MAP,
        LIST,
        STRING,
        NUMBER,
        BOOLEAN,
        NULL,
        MISSING
    }

    private final String file;
    private final String path;
    private final String key;
    private final int line;
    private final Kind kind;
    private final String text;
    private final Map<String, YamlNode> fields;
    private final List<YamlNode> items;

    private YamlNode(
            String file,
            String path,
            String key,
            int line,
            Kind kind,
            String text,
            Map<String, YamlNode> fields,
            List<YamlNode> items) {
        this.file = file;
        this.path = path;
        this.key = key;
        this.line = line;
        this.kind = kind;
        this.text = text;
        this.fields = fields;
        this.items = items;
    }

    /** Reads a file; an empty document reads as an empty map. */
    public static YamlNode read(Path file) {
        String name = file.toString();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new DefinitionException(
                        name + ": larger than " + MAX_BYTES + " bytes; this is not a hand-written definition");
            }
            return parse(name, utf8(name, Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new DefinitionException(name + ": cannot read the file (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes strictly, naming the line of the first byte that is not UTF-8. */
    private static String utf8(String name, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        if (StandardCharsets.UTF_8.newDecoder().decode(in, out, true).isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new DefinitionException(name + ": line " + line + ": not valid UTF-8");
        }
        return out.flip().toString();
    }

    /** Parses a document; {@code file} only names it in errors. */
    public static YamlNode parse(String file, String content) {
        try (JsonParser parser = FACTORY.createParser(content)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlNode(file, "", "", 1, Kind.MAP, null, Map.of(), null);
            }
            YamlNode root = build(parser, file, "", "", 0);
            if (parser.nextToken() != null) {
                throw new DefinitionException(file + ": holds more than one YAML document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new DefinitionException(file + ": not valid YAML" + problem(e) + referenceHint(e, content), e);
        } catch (IOException e) {
            throw new DefinitionException(file + ": cannot read YAML: " + e.getMessage(), e);
        }
    }

    /**
     * Where the parser found the mistake and what it is, on one line. SnakeYAML's own message goes
     * on to quote the lines around it, which an error line must not: they are the file's content.
     */
    private static String problem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            Mark at = m.getProblemMark();
            return " (line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + "): "
                    + (m.getContext() == null ? "" : m.getContext() + ": ") + m.getProblem();
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return where + ": " + e.getOriginalMessage();
    }

    /**
     * Inside {@code { }} or {@code [ ]} a brace ends or starts a collection, so an unquoted
     * {@code ${VAR}} there ({@code { token: ${META_TOKEN} }}) breaks the parse at its opening brace.
     */
    private static String referenceHint(JsonProcessingException e, String content) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            int at = m.getProblemMark().getIndex();
            if (at > 0 && at < content.length() && content.charAt(at) == '{' && content.charAt(at - 1) == '$') {
                return "; a ${VAR} inside { } or [ ] must be quoted: \"${VAR}\"";
            }
        }
        return "";
    }

    private static YamlNode build(JsonParser p, String file, String path, String key, int depth) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        YAMLParser yaml = (YAMLParser) p;
        if (yaml.isCurrentAlias() || yaml.getObjectId() != null) {
            throw new DefinitionException(
                    at(file, path) + "anchors and aliases (& and *) are not supported (line " + line + ")");
        }
        if (depth > MAX_DEPTH) {
            throw new DefinitionException(
                    at(file, path) + "nested deeper than " + MAX_DEPTH + " levels (line " + line + ")");
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String childKey = p.currentName();
                    String childPath = path.isEmpty() ? childKey : path + "." + childKey;
                    int keyLine = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    YamlNode child = build(p, file, childPath, childKey, depth + 1);
                    if (map.putIfAbsent(childKey, child) != null) {
                        throw new DefinitionException(at(file, childPath) + "appears twice (line " + keyLine + ")");
                    }
                }
                return new YamlNode(file, path, key, line, Kind.MAP, null, Collections.unmodifiableMap(map), null);
            }
            case START_ARRAY -> {
                List<YamlNode> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(build(p, file, path + "[" + list.size() + "]", key, depth + 1));
                }
                return new YamlNode(file, path, key, line, Kind.LIST, null, null, Collections.unmodifiableList(list));
            }
            case VALUE_STRING -> {
                return scalar(file, path, key, line, Kind.STRING, p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return scalar(file, path, key, line, Kind.NUMBER, p.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return scalar(file, path, key, line, Kind.BOOLEAN, p.getText());
            }
            case VALUE_NULL -> {
                return scalar(file, path, key, line, Kind.NULL, p.getText());
            }
            default ->
                throw new DefinitionException(at(file, path) + "unexpected YAML content " + t + " (line " + line + ")");
        }
    }

    private static YamlNode scalar(String file, String path, String key, int line, Kind kind, String text) {
        return new YamlNode(file, path, key, line, kind, text, null, null);
    }

    /** The file this node came from, as given. */
    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    public int line() {
        return line;
    }

    public boolean isMissing() {
        return kind == Kind.MISSING;
    }

    /** Absent, or written as an empty value / {@code null} / {@code ~}. */
    public boolean isNullOrMissing() {
        return kind == Kind.MISSING || kind == Kind.NULL;
    }

    public boolean isMap() {
        return kind == Kind.MAP;
    }

    public boolean isList() {
        return kind == Kind.LIST;
    }

    public boolean isScalar() {
        return kind == Kind.STRING || kind == Kind.NUMBER || kind == Kind.BOOLEAN;
    }

    /**
     * The fields of a map, after checking that it has no key outside {@code allowed}.
     *
     * @throws DefinitionException when this is not a map or has an unknown key
     */
    public Map<String, YamlNode> fields(Collection<String> allowed) {
        Map<String, YamlNode> map = fields();
        for (YamlNode child : map.values()) {
            String key = child.key();
            if (!allowed.contains(key)) {
                throw child.error("unknown key (expected " + (allowed.size() == 1 ? "" : "one of ")
                        + String.join(", ", allowed) + ")");
            }
        }
        return map;
    }

    /** The fields of a map, any keys allowed. */
    public Map<String, YamlNode> fields() {
        if (kind != Kind.MAP) {
            throw error("expected a map of keys and values");
        }
        return fields;
    }

    /** A field of this map, or a missing node that knows where it would have been. */
    public YamlNode get(String key) {
        YamlNode child = fields().get(key);
        if (child != null) {
            return child;
        }
        return new YamlNode(file, path.isEmpty() ? key : path + "." + key, key, line, Kind.MISSING, null, null, null);
    }

    /** This node's key in its map (for a list item, the list's key; for the root, empty). */
    public String key() {
        return key;
    }

    public List<YamlNode> items() {
        if (kind != Kind.LIST) {
            throw error("expected a list");
        }
        return items;
    }

    /** A string; numbers and booleans are not silently turned into text. */
    public String string() {
        if (kind != Kind.STRING) {
            throw error("expected a string");
        }
        return text;
    }

    public Optional<String> optionalString() {
        return isNullOrMissing() ? Optional.empty() : Optional.of(string());
    }

    /** Any scalar, as written ({@code NO} stays {@code NO}); for values that are compared as text. */
    public String scalarText() {
        if (!isScalar()) {
            throw error("expected a single value");
        }
        return text;
    }

    /** {@code true} or {@code false}; YAML 1.1's {@code yes}, {@code no}, {@code on} and {@code off} are refused as unclear. */
    public boolean bool() {
        if (kind != Kind.BOOLEAN || !(text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            throw error("expected true or false");
        }
        return Boolean.parseBoolean(text);
    }

    public int integer() {
        if (kind != Kind.NUMBER) {
            throw error("expected a number");
        }
        try {
            return Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error("expected a whole number");
        }
    }

    public int integer(int min, int max) {
        int v = integer();
        if (v < min || v > max) {
            throw error("must be between " + min + " and " + max + " but was " + v);
        }
        return v;
    }

    public BigDecimal decimal() {
        if (kind != Kind.NUMBER) {
            throw error("expected a number");
        }
        try {
            return new BigDecimal(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error("expected a decimal number");
        }
    }

    /**
     * A duration written {@code 500ms}, {@code 30s}, {@code 5m} or {@code 2h}.
     */
    public Duration duration() {
        String t = kind == Kind.STRING || kind == Kind.NUMBER ? text.strip() : "";
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw error("expected a duration such as 500ms, 30s, 5m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** An error about this node: {@code file: path: message (line n)}. */
    public DefinitionException error(String message) {
        return new DefinitionException(at(file, path) + message + " (line " + line + ")");
    }

    private static String at(String file, String path) {
        return file + ": " + (path.isEmpty() ? "" : path + ": ");
    }
}
