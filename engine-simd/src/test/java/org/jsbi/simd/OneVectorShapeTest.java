package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * jsbi's kernels use one vector shape per process, {@link SimdConfig}'s: a second shape pollutes the type profiles
 * inside the Vector API's shared methods, C2 then speculates on the wrong vector class and other kernels' vectors
 * are boxed for good (docs/ARCHITECTURE.md, "A second vector shape pollutes the Vector API's profiles"). So no main
 * source outside SimdConfig names a fixed species or shape.
 */
class OneVectorShapeTest {

    private static final Pattern FIXED_SHAPE = Pattern.compile("SPECIES_(64|128|256|512|MAX|PREFERRED)|VectorShape\\.S_");

    @Test
    void onlySimdConfigNamesAVectorShape() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();   // tests run in the module's directory
        List<String> offenders = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(root)) {
            sources = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        assertTrue(sources.size() >= 3, "expected the project's module sources under " + root + ", found " + sources);
        for (Path src : sources) {
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (f.getFileName().toString().equals("SimdConfig.java")) continue;
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        if (FIXED_SHAPE.matcher(lines.get(i)).find()) {
                            offenders.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), "use SimdConfig.FLOAT (or VectorSpecies.of(type, SimdConfig.FLOAT"
                + ".vectorShape())) instead of a fixed shape: " + offenders);
    }
}
