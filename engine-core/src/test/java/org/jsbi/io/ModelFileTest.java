package org.jsbi.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelFileTest {

    private final ModelFile m = ModelFile.builder("maf")
            .meta("features", 5).meta("hidden", new int[] {50, 50}).meta("lr", 0.001).meta("word", "tanh")
            .array("layer0.weight", 3, 5, new float[15])
            .build();

    private static void assertMessage(Runnable r, String... parts) {
        ModelFormatException e = assertThrows(ModelFormatException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        assertMessage(() -> m.array("layer0.weight", 50, 5),
                "array 'layer0.weight' has shape 3 x 5, expected 50 x 5: this file was written for another architecture");
        assertEquals(15, m.array("layer0.weight", 3, 5).length);
    }

    @Test
    void missingEntriesAreNamed() {
        assertMessage(() -> m.array("layer1.weight"), "no array 'layer1.weight'", "[layer0.weight]", "'maf'");
        assertMessage(() -> m.array("layer1.weight", 1, 1), "no array 'layer1.weight'");
        assertMessage(() -> m.meta("components"), "no metadata entry 'components'", "features");
        assertMessage(() -> m.metaInt("components"), "no metadata entry 'components'");
        assertMessage(() -> m.metaDouble("components"), "no metadata entry 'components'");
    }

    @Test
    void badlyTypedMetadataIsNamed() {
        assertMessage(() -> m.metaInt("word"), "'word'", "'tanh'", "not an integer");
        assertMessage(() -> m.metaDouble("word"), "'word'", "not a number");
        assertMessage(() -> m.metaInt("lr"), "'lr'", "not an integer");
        assertMessage(() -> m.metaBoolean("word"), "true or false");
        assertMessage(() -> m.metaInts("word"), "comma-separated");
        assertEquals(0.001, m.metaDouble("lr"));
        assertEquals(5.0, m.metaDouble("features"));
        assertArrayEquals(new int[] {50, 50}, m.metaInts("hidden"));
    }

    @Test
    void kindIsChecked() {
        assertMessage(() -> m.requireKind("mdn"), "'maf' model file, not a 'mdn' one");
    }

    @Test
    void namedArrayValidatesItsShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NamedArray("w", 2, 3, new float[5]));
        assertTrue(e.getMessage().contains("2 x 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("w", -1, -1, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("", 1, 1, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("w", 65536, 65536, new float[0]));
        assertEquals(0, new NamedArray("w", 0, 0, new float[0]).size());
    }

    @Test
    void valuesAreImmutable() {
        float[] data = {1, 2, 3, 4};
        NamedArray a = new NamedArray("w", 2, 2, data);
        data[0] = 99;
        assertEquals(1f, a.get(0, 0));
        a.data()[1] = 99;
        assertEquals(2f, a.get(0, 1));
        assertEquals(4f, a.get(1, 1));
        m.array("layer0.weight", 3, 5)[0] = 7;
        assertEquals(0f, m.array("layer0.weight").get(0, 0));
        assertThrows(UnsupportedOperationException.class, () -> m.metadata().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> m.arrays().clear());
        Map<String, String> meta = new LinkedHashMap<>(Map.of("a", "1"));
        ModelFile f = new ModelFile("k", meta, List.of());
        meta.put("b", "2");
        assertEquals(1, f.metadata().size());
    }

    @Test
    void duplicatesAndEmptiesAreProgrammingErrors() {
        assertThrows(IllegalArgumentException.class, () -> ModelFile.builder("k").meta("a", 1).meta("a", 2));
        assertThrows(IllegalArgumentException.class,
                () -> ModelFile.builder("k").vector("w", new float[1]).vector("w", new float[1]));
        assertThrows(IllegalArgumentException.class, () -> ModelFile.builder("").build());
        NamedArray w = NamedArray.vector("w", new float[1]);
        assertThrows(IllegalArgumentException.class, () -> new ModelFile("k", Map.of(), List.of(w, w)));
        assertThrows(IllegalArgumentException.class, () -> new ModelFile("k", Map.of("", "x"), List.of()));
    }

    @Test
    void equalityIsByValue() {
        NamedArray a = new NamedArray("w", 1, 2, new float[] {1, 2});
        assertEquals(a, new NamedArray("w", 1, 2, new float[] {1, 2}));
        assertEquals(a.hashCode(), new NamedArray("w", 1, 2, new float[] {1, 2}).hashCode());
        assertNotEquals(a, new NamedArray("w", 2, 1, new float[] {1, 2}));
        assertEquals("NamedArray[w, 1 x 2]", a.toString());
    }
}
