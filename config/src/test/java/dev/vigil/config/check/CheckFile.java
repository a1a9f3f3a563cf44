package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** A file holding only a {@code checks:} list, read by a local {@link CheckReader}: how these tests write checks. */
record CheckFile(List<CheckConfig> checks) {
    static final Path BASE = Path.of("/etc/vigil");

    /** Parses {@code yaml} as {@code checks.yaml} in {@link #BASE}, with {@code VIGIL_AGENT_TOKEN} set. */
    static CheckFile parse(String yaml) {
        return parse(yaml, Map.of("VIGIL_AGENT_TOKEN", "s3cret")::get, BASE);
    }

    static CheckFile parse(String yaml, Function<String, String> env, Path baseDir) {
        ConfigNode root = ConfigNode.parse("checks.yaml", yaml, env);
        root.rejectUnknown(Set.of("checks"));
        return new CheckFile(CheckReader.local(baseDir).checks(root.get("checks").items(), Set.of()));
    }

    /** The text of fixture {@code check/<name>}. */
    static String fixture(String name) throws IOException {
        try (InputStream in = CheckFile.class.getResourceAsStream("/check/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
