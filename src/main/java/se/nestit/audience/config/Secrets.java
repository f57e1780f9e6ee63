package se.nestit.audience.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns about secrets that other users of the machine can read: a config value under a
 * secret-like key written out instead of as {@code ${ENV_VAR}}, in a file others can read, and
 * credential files (a service account key, ads.properties) others can read.
 */
public final class Secrets {

    private static final Logger log = LoggerFactory.getLogger(Secrets.class);
    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(token|secret|password|passwd|api_?key|private_?key).*");
    private static final Pattern ONLY_REFERENCES = Pattern.compile("(\\$\\{[A-Za-z_][A-Za-z0-9_]*})+");

    private Secrets() {}

    /** Logs a warning per literal secret when the config file is readable by others; returns their paths. */
    public static List<String> warnAboutLiterals(Path configFile, YamlNode root) {
        List<String> literals = new ArrayList<>();
        collect(root, literals);
        if (!literals.isEmpty() && readableByOthers(configFile)) {
            for (String path : literals) {
                log.warn(
                        "{}: {} holds a secret written out, and other users can read the file; write it as ${ENV_VAR} "
                                + "or make the file readable by its owner only (chmod 600)",
                        configFile,
                        path);
            }
        }
        return literals;
    }

    /** Whether a config value is only {@code ${ENV_VAR}} references, so that no secret is written out. */
    public static boolean isReference(String value) {
        return ONLY_REFERENCES.matcher(value.strip()).matches();
    }

    /** Logs a warning when a credential file is readable by others. */
    public static void warnIfReadableByOthers(Path file, String what) {
        if (readableByOthers(file)) {
            log.warn("{}: the {} can be read by other users of this machine; chmod 600 it", file, what);
        }
    }

    private static void collect(YamlNode node, List<String> literals) {
        if (node.isMap()) {
            node.fields().values().forEach(child -> collect(child, literals));
        } else if (node.isList()) {
            node.items().forEach(child -> collect(child, literals));
        } else if (node.isScalar() && SECRET_KEY.matcher(node.key()).matches() && !isReference(node.scalarText())) {
            literals.add(node.path());
        }
    }

    static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            return perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }
}
